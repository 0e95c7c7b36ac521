import { describe, expect, it } from '@jest/globals';
import { MAX_RETRY_AFTER_MS, parseRetryAfter } from './retry-after.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter(' 7 ', NOW)).toBe(7_000);
  });

  it('reads an IMF-fixdate relative to the injected now', () => {
    expect(parseRetryAfter(new Date(NOW + 90_000).toUTCString(), NOW)).toBe(90_000);
  });

  it('reads the obsolete RFC 850 date format', () => {
    expect(parseRetryAfter('Thursday, 01-Jan-26 12:00:30 GMT', NOW)).toBe(30_000);
  });

  it('turns a date in the past into 0', () => {
    expect(parseRetryAfter(new Date(NOW - 5_000).toUTCString(), NOW)).toBe(0);
  });

  it('caps the delay at a day by default, and at the given cap', () => {
    expect(parseRetryAfter('999999999', NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('99999999999999999999', NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('Fri, 01 Jan 2100 00:00:00 GMT', NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('120', NOW, 60_000)).toBe(60_000);
    expect(parseRetryAfter('30', NOW, 60_000)).toBe(30_000);
  });

  describe('ignores what is not a valid value', () => {
    it.each([
      undefined,
      '',
      '-1',
      '1.5',
      'soon',
      '2026-01-01T12:00:30Z',
      'Mon, 99 Foo 2026 00:00:00 GMT',
      '1, 2',
      null,
    ])('%j', (value) => {
      expect(parseRetryAfter(value, NOW)).toBeUndefined();
    });

    it('a repeated header (array)', () => {
      expect(parseRetryAfter(['1', '2'], NOW)).toBeUndefined();
    });
  });
});
