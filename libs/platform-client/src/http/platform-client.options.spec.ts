import { inspect } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import type { AccessTokenSource, TokenSourceStatus } from '../tokens/access-token-source.js';
import {
  type PlatformClientOptions,
  resolvePlatformClientOptions,
} from './platform-client.options.js';
import { resolveTokenSource } from './token-option.js';

/** A token source that `implements` the contract instead of extending it. */
class StructuralTokenSource implements AccessTokenSource {
  async getToken(): Promise<string> {
    return 'structural-token';
  }
  async invalidate(): Promise<void> {}
  async peekToken(): Promise<string | undefined> {
    return undefined;
  }
  async status(): Promise<TokenSourceStatus> {
    return { state: 'empty' };
  }
}

const resolve = (options: Partial<PlatformClientOptions>) =>
  resolvePlatformClientOptions({ baseUrl: 'https://api.example.test', ...options });

describe('resolvePlatformClientOptions', () => {
  it('applies the documented defaults', () => {
    const { http, transport, allowHttp, token } = resolve({});
    expect(http).toEqual({
      baseUrl: new URL('https://api.example.test'),
      timeoutMs: 30_000,
      retries: 2,
      backoffBaseMs: 3_000,
      backoffCapMs: 30_000,
      retryAfterCapMs: 60_000,
      maxResponseBytes: 10 * 1024 * 1024,
      headers: {},
      healthPath: '/health',
      authenticatedHealthPath: '/health',
    });
    expect(transport).toEqual({});
    expect(allowHttp).toBe(false);
    expect(token).toBeUndefined();
  });

  it('lower-cases header names', () => {
    expect(resolve({ headers: { 'X-Tenant': 'acme' } }).http.headers).toEqual({
      'x-tenant': 'acme',
    });
  });

  it('allows http:// only on loopback IP literals with allowHttp', () => {
    for (const baseUrl of ['http://127.0.0.1:3000', 'http://127.1.2.3:1', 'http://[::1]:8080']) {
      expect(resolve({ baseUrl, allowHttp: true }).http.baseUrl.protocol).toBe('http:');
    }
    for (const baseUrl of [
      'http://api.example.test',
      'http://localhost:1',
      'http://localhost.:1',
    ]) {
      expect(() => resolve({ baseUrl, allowHttp: true })).toThrow(/loopback IP literal/);
    }
    expect(() => resolve({ baseUrl: 'http://127.0.0.1:3000' })).toThrow(/"baseUrl" is http:\/\//);
  });

  it('accepts a token source that implements AccessTokenSource structurally, as is', () => {
    const source = new StructuralTokenSource();
    const { token } = resolve({ token: source });
    expect(token).toBe(source);
    expect(resolveTokenSource(token!, { fetch })).toBe(source);
  });

  it('names the missing methods of an object that is almost a token source', () => {
    const almost = { getToken: async () => 't', invalidate: async () => undefined };
    expect(() => resolve({ token: almost as unknown as AccessTokenSource })).toThrow(
      new TypeError(
        'PlatformClient: option "token" is neither token-source options ({ provider, cache? }), an AccessTokenSource nor a () => string | Promise<string> function: it lacks peekToken(), status().',
      ),
    );
  });

  describe('rejects, naming the option', () => {
    it.each([
      [{ baseUrl: 'https://u:p@api.test' }, '"baseUrl" must not contain credentials'],
      [{ baseUrl: 'https://api.test/?key=1' }, '"baseUrl" must not contain'],
      [{ baseUrl: 'ftp://api.test' }, '"baseUrl" must be an http(s) URL'],
      [{ attemptTimeoutMs: -1 }, '"attemptTimeoutMs"'],
      [{ retries: 11 }, '"retries"'],
      [{ retries: 1.5 }, '"retries"'],
      [{ backoffCapMs: Number.NaN }, '"backoffCapMs"'],
      [{ retryAfterCapMs: 0 }, '"retryAfterCapMs"'],
      [{ maxResponseBytes: 0 }, '"maxResponseBytes"'],
      [{ headers: { 'x-n': 1 } }, '"headers.x-n"'],
      [{ headers: { Authorization: 'Bearer x' }, token: () => 't' }, '"headers.authorization"'],
      [{ healthPath: 'health' }, '"healthPath"'],
      [{ authenticatedHealthPath: '//evil.test/x' }, '"authenticatedHealthPath"'],
      [{ allowHttp: 'yes' }, '"allowHttp"'],
      [{ proxy: { httpsProxy: 'socks5://p:1' } }, '"proxy.httpsProxy"'],
      [{ proxy: { noProxy: 5 } }, '"proxy.noProxy"'],
      [{ proxy: { socks: 'x' } }, '"proxy.socks"'],
      [{ ca: [] }, '"ca"'],
      [{ connectTimeoutMs: 0 }, '"connectTimeoutMs"'],
    ])('%j', (options, message) => {
      expect(() => resolve(options as unknown as Partial<PlatformClientOptions>)).toThrow(
        expect.objectContaining({ name: 'TypeError', message: expect.stringContaining(message) }),
      );
    });

    it('without quoting a secret header or proxy password', () => {
      try {
        resolve({ headers: { authorization: 'Bearer do-not-echo' }, token: () => 't' });
      } catch (error) {
        expect(String(error)).not.toContain('do-not-echo');
      }
      expect.assertions(1);
    });
  });

  it('serialises with headers and proxy credentials masked', () => {
    const resolved = resolve({
      headers: { authorization: 'Basic c2VjcmV0', 'x-api-key': 'k-123' },
      proxy: { httpsProxy: 'http://u:pw-456@proxy.test:3128' },
    });
    const printed = `${JSON.stringify(resolved)}\n${inspect(resolved, { depth: 5 })}`;
    for (const secret of ['c2VjcmV0', 'k-123', 'pw-456']) expect(printed).not.toContain(secret);
    expect(resolved.http.headers.authorization).toBe('Basic c2VjcmV0');
  });
});
