import { inspect } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { MemoryTokenCache } from '../caches/memory-token-cache.js';
import { resolvePlatformClientOptions } from '../http/platform-client.options.js';
import { TokenManager } from '../tokens/token-manager.js';
import { TokenProvider } from '../tokens/token-provider.port.js';
import { MASK, redactSecrets, redactUrl, withMaskedSerialization } from './redact.js';

const SECRET = 'sup3r-secret-value';

describe('redactSecrets', () => {
  it('masks values of sensitive keys at any depth, keeping the rest', () => {
    const redacted = redactSecrets({
      clientId: 'svc',
      clientSecret: SECRET,
      nested: { refresh_token: SECRET, accessToken: SECRET, password: SECRET, keep: 1 },
      headers: { Authorization: `Bearer ${SECRET}`, 'x-api-key': SECRET, accept: 'json' },
      privateKey: { kty: 'EC', crv: 'P-256', x: 'pub', d: SECRET },
    });
    expect(JSON.stringify(redacted)).not.toContain(SECRET);
    expect(redacted).toMatchObject({
      clientId: 'svc',
      clientSecret: MASK,
      nested: { keep: 1 },
      headers: { accept: 'json' },
      privateKey: { kty: 'EC', x: 'pub', d: MASK },
    });
  });

  it('walks an object under a sensitive key instead of hiding all of it', () => {
    expect(redactSecrets({ token: { provider: { clientId: 'a', clientSecret: SECRET } } })).toEqual(
      { token: { provider: { clientId: 'a', clientSecret: MASK } } },
    );
  });

  it('shows functions as [function] and cuts cycles', () => {
    const cyclic: Record<string, unknown> = { getToken: () => SECRET };
    cyclic.self = cyclic;
    expect(redactSecrets(cyclic)).toEqual({ getToken: '[function]', self: '[circular]' });
  });

  it('strips credentials from URL strings under any key', () => {
    const redacted = JSON.stringify(redactSecrets({ httpsProxy: `http://u:${SECRET}@proxy:3128` }));
    expect(redacted).not.toContain(SECRET);
    expect(redacted).toContain('proxy:3128');
  });
});

describe('masking never walks into token state', () => {
  const INVALIDATED = 'invalidated-access-token-5f4e3d2c1b';
  const CURRENT = 'current-access-token-9a8b7c6d5e';

  class SingleTokenProvider extends TokenProvider {
    readonly cacheKey = { kind: 'external', id: 'single' } as const;
    private issued = 0;
    async acquire() {
      this.issued++;
      const accessToken = this.issued === 1 ? INVALIDATED : CURRENT;
      return { accessToken, tokenType: 'Bearer', expiresAt: Date.now() + 3_600_000 };
    }
  }

  /** A token source after a 401: it remembers the token the server rejected. */
  async function sourceAfter401(): Promise<TokenManager> {
    const source = new TokenManager(new SingleTokenProvider(), new MemoryTokenCache());
    await source.invalidate(await source.getToken());
    expect(await source.getToken()).toBe(CURRENT);
    return source;
  }

  const everyView = (value: unknown) =>
    [
      JSON.stringify(value),
      inspect(value, { depth: 20 }),
      JSON.stringify(redactSecrets(value)),
      inspect(redactSecrets(value), { depth: 20 }),
    ].join('\n');

  it('shows no access token, invalidated or current, of a token source', async () => {
    const printed = everyView(await sourceAfter401());
    expect(printed).not.toContain(INVALIDATED);
    expect(printed).not.toContain(CURRENT);
  });

  it('shows no access token of a token source inside resolved client options', async () => {
    const options = resolvePlatformClientOptions({
      baseUrl: 'https://api.example.test',
      token: await sourceAfter401(),
    });
    const printed = everyView(options) + everyView({ wrapped: options });
    expect(printed).not.toContain(INVALIDATED);
    expect(printed).not.toContain(CURRENT);
  });

  it("honours an object's own toJSON instead of walking its fields", () => {
    class Session {
      readonly user = 'alice';
      readonly lastSeen = INVALIDATED;
      toJSON() {
        return { user: this.user };
      }
    }
    expect(redactSecrets({ session: new Session() })).toEqual({ session: { user: 'alice' } });
  });

  it('shows a class instance without a safe serialisation by its name only', () => {
    class OpaqueSource {
      readonly previous = [INVALIDATED];
    }
    expect(redactSecrets({ source: new OpaqueSource() })).toEqual({ source: '[OpaqueSource]' });
  });

  it("uses an object's util.inspect.custom when it has no toJSON", () => {
    class Custom {
      readonly held = INVALIDATED;
      [inspect.custom]() {
        return 'Custom { safe }';
      }
    }
    expect(redactSecrets({ custom: new Custom() })).toEqual({ custom: 'Custom { safe }' });
  });
});

describe('redactUrl', () => {
  it('masks user info and every query value, and drops the fragment', () => {
    const out = redactUrl(`https://user:${SECRET}@api.test/p?code=${SECRET}&a=1#${SECRET}`);
    expect(out).not.toContain(SECRET);
    expect(out).toBe('https://***@api.test/p?code=***&a=***');
  });

  it('does not echo unparseable input', () => {
    expect(redactUrl(`not a url ${SECRET}`)).toBe('[invalid url]');
  });
});

describe('withMaskedSerialization', () => {
  it('masks JSON.stringify and util.inspect but keeps the real values readable', () => {
    const options = withMaskedSerialization({ clientId: 'svc', clientSecret: SECRET });
    expect(JSON.stringify(options)).toBe('{"clientId":"svc","clientSecret":"***"}');
    expect(inspect(options)).not.toContain(SECRET);
    expect(`${inspect({ wrapped: options }, { depth: 5 })}`).not.toContain(SECRET);
    expect(options.clientSecret).toBe(SECRET);
    expect(Object.keys(options)).toEqual(['clientId', 'clientSecret']);
  });
});
