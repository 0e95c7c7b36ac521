import { describe, expect, it } from '@jest/globals';
import { CacheAdmission } from './cache-admission.js';

/** A token-shaped string whose signature part is unique to `index`. */
const token = (index: number) =>
  `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.${index.toString(36).padStart(40, 'sig-')}`;

describe('CacheAdmission', () => {
  it('admits a token on its second sighting, not its first', () => {
    const admission = new CacheAdmission(64);
    expect(admission.admit(token(1))).toBe(false);
    expect(admission.admit(token(1))).toBe(true);
    expect(admission.admit(token(1))).toBe(true);
  });

  it('keeps each token’s first sighting to itself', () => {
    const admission = new CacheAdmission(4096);
    const tokens = Array.from({ length: 200 }, (_, index) => token(index));
    expect(tokens.map((each) => admission.admit(each)).filter(Boolean)).toHaveLength(0);
    // Nearly all were remembered: with 200 tokens in 4096 slots, about 190 keep a slot of their
    // own (a collision only costs a token one more sighting).
    expect(tokens.map((each) => admission.admit(each)).filter(Boolean).length).toBeGreaterThan(175);
  });

  it('tells tokens apart by their signature, where compact JWS differ', () => {
    const admission = new CacheAdmission(64);
    const header = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.';
    admission.admit(`${header}${'A'.repeat(342)}`);
    expect(admission.admit(`${header}${'A'.repeat(341)}B`)).toBe(false);
  });

  it('forgets a sighting when a newer token takes its slot', () => {
    const admission = new CacheAdmission(16); // 16 slots
    admission.admit(token(0));
    // Far more tokens than slots: every slot is overwritten many times over.
    for (let index = 1; index <= 2000; index += 1) admission.admit(token(index));
    expect(admission.admit(token(0))).toBe(false);
  });

  it('handles tokens shorter than the hashed tail', () => {
    const admission = new CacheAdmission(16);
    expect(admission.admit('a.b.c')).toBe(false);
    expect(admission.admit('a.b.c')).toBe(true);
    expect(admission.admit('')).toBe(false);
    expect(admission.admit('')).toBe(true);
  });
});
