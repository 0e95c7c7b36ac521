import { inspect } from 'node:util';
import { describe, expect, it } from '@jest/globals';
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
