import { describe, expect, it } from '@jest/globals';
import { MAX_PASSED_ON_TEXT, scrubCredentials } from './scrub-credentials.js';

const SECRET = 'sec/ret+value=with spaces&more';
const TOKEN = 'rt-8c1f0e2d3b4a59687766554433221100';

describe('scrubCredentials', () => {
  it.each([
    ['as sent', SECRET],
    ['URL-encoded', encodeURIComponent(SECRET)],
    ['form-encoded', new URLSearchParams({ v: SECRET }).toString().slice(2)],
    ['JSON-escaped', JSON.stringify(SECRET).slice(1, -1)],
  ])('masks a credential echoed %s', (_form, echoed) => {
    expect(scrubCredentials(`bad secret: ${echoed}!`, [SECRET])).toBe('bad secret: ***!');
  });

  it('masks a partial echo of ten characters or more', () => {
    expect(scrubCredentials(`token ${TOKEN.slice(3, 20)}... revoked`, [TOKEN])).toBe(
      'token ***... revoked',
    );
  });

  it('masks before bounding, so a credential cut by the bound leaves nothing behind', () => {
    const text = `${'x'.repeat(MAX_PASSED_ON_TEXT - 5)}${TOKEN}`;
    const out = scrubCredentials(text, [TOKEN])!;
    expect(out).not.toContain(TOKEN.slice(0, 5));
    expect(out.endsWith('***')).toBe(true);
  });

  it('bounds the length and removes control and non-ASCII characters', () => {
    expect(scrubCredentials('a\r\nb\u0000c\u00e9', [])).toBe('abc');
    expect(scrubCredentials('z'.repeat(100_000), [])).toBe(`${'z'.repeat(200)}...`);
    expect(scrubCredentials('y'.repeat(100), [], 10)).toBe(`${'y'.repeat(10)}...`);
  });

  it('catches a credential split by control characters', () => {
    const split = `${TOKEN.slice(0, 12)}\u0000${TOKEN.slice(12)}`;
    expect(scrubCredentials(split, [TOKEN])).toBe('***');
  });

  it('gives undefined for no text or nothing left', () => {
    expect(scrubCredentials(undefined, [TOKEN])).toBeUndefined();
    expect(scrubCredentials(null, [TOKEN])).toBeUndefined();
    expect(scrubCredentials(' \u0001 ', [TOKEN])).toBeUndefined();
  });
});
