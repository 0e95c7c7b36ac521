import { describe, expect, it } from '@jest/globals';
import { fullJitterDelay, isIdempotentMethod, isRetryableStatus } from './retry-policy.js';

describe('retry policy', () => {
  it('treats GET, HEAD, OPTIONS, PUT and DELETE as idempotent, not POST or PATCH', () => {
    expect(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'].every(isIdempotentMethod)).toBe(true);
    expect(['POST', 'PATCH', 'get'].some(isIdempotentMethod)).toBe(false);
  });

  it('retries 429 and 5xx only', () => {
    expect([429, 500, 502, 503, 504, 599].every(isRetryableStatus)).toBe(true);
    expect([200, 301, 400, 401, 403, 404, 409, 600].some(isRetryableStatus)).toBe(false);
  });

  describe('full jitter', () => {
    it('draws uniformly below min(cap, base * 2^retry)', () => {
      expect(fullJitterDelay(0, 3000, 30_000, () => 0.999)).toBe(2997);
      expect(fullJitterDelay(1, 3000, 30_000, () => 0.5)).toBe(3000);
      expect(fullJitterDelay(2, 3000, 30_000, () => 0.5)).toBe(6000);
      expect(fullJitterDelay(10, 3000, 30_000, () => 0.5)).toBe(15_000);
    });

    it('can be 0 (the "full" in full jitter)', () => {
      expect(fullJitterDelay(3, 3000, 30_000, () => 0)).toBe(0);
    });

    it('never exceeds the cap', () => {
      for (let retry = 0; retry < 40; retry++) {
        expect(fullJitterDelay(retry, 3000, 30_000, () => 0.9999999)).toBeLessThan(30_000);
      }
    });
  });
});
