import { describe, expect, it } from '@jest/globals';
import { assertAllowedEndpoint, isAllowedEndpoint, isLoopbackHost } from './endpoint-policy.js';

describe('endpoint policy', () => {
  it.each(['127.0.0.1', '127.8.9.10', '[::1]'])('treats %s as loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  // RFC 8252 §8.3: a name can resolve elsewhere; only loopback IP literals are trusted.
  it.each([
    'localhost',
    'localhost.',
    'LOCALHOST',
    '10.0.0.1',
    '128.0.0.1',
    'localhost.example.com',
    '127.0.0.1.nip.io',
    '[::2]',
  ])('does not treat %s as loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });

  it('allows https anywhere, and http only on loopback with allowHttp', () => {
    expect(isAllowedEndpoint('https://id.example.com/token', false)).toBe(true);
    expect(isAllowedEndpoint('http://127.0.0.1:8080/token', false)).toBe(false);
    expect(isAllowedEndpoint('http://127.0.0.1:8080/token', true)).toBe(true);
    expect(isAllowedEndpoint('http://id.example.com/token', true)).toBe(false);
    expect(isAllowedEndpoint('http://localhost:8080/token', true)).toBe(false);
    expect(isAllowedEndpoint('http://[::1]:8080/token', true)).toBe(true);
    expect(isAllowedEndpoint('file:///etc/passwd', true)).toBe(false);
    expect(isAllowedEndpoint('not a url', true)).toBe(false);
  });

  it('names only the origin when refusing (no path or query)', () => {
    let error: unknown;
    try {
      assertAllowedEndpoint('http://id.example.com/token?secret=x', 'token_endpoint', true);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'INSECURE_ENDPOINT' });
    expect(String(error)).toContain('http://id.example.com');
    expect(String(error)).not.toContain('secret=x');
  });
});
