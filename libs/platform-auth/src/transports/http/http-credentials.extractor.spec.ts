import { describe, expect, it } from '@jest/globals';
import { Credentials } from '../../credentials/credentials.js';
import { AuthorizationDecision } from '../../decisions/authorization-decision.js';
import { extractHttpCredentials } from './http-credentials.extractor.js';
import { readHttpCredentials } from './read-http-credentials.js';

function extract(headers: string[], url = '/', acceptQueryToken = false) {
  return extractHttpCredentials({ rawHeaders: headers, url }, acceptQueryToken);
}

function reasonOf(result: unknown) {
  return result instanceof AuthorizationDecision ? `${result.state}:${result.reason}` : result;
}

describe('HTTP bearer credentials extraction (RFC 6750 §2)', () => {
  it('finds no credentials without an Authorization header or with another scheme', () => {
    expect(extract(['Host', 'x'])).toBeUndefined();
    expect(extract(['Authorization', 'Basic dXNlcjpwYXNz'])).toBeUndefined();
    expect(extract(['Authorization', 'Bearerabc'])).toBeUndefined();
    expect(extract(['Authorization', 'DPoP abc'])).toBeUndefined();
    expect(extract(['Authorization', 'Basic x, Bearer abc'])).toBeUndefined();
  });

  it('reads a bearer token with the scheme in any case, after one or more spaces', () => {
    for (const value of [
      'Bearer abc.def-_~+/==',
      'bearer abc.def-_~+/==',
      'BEARER   abc.def-_~+/==',
      // Whitespace around the field value is not part of it (Node strips it before we see it).
      ' \tBearer abc.def-_~+/== \t',
    ]) {
      const result = extract(['authorization', value]);
      expect(result).toBeInstanceOf(Credentials);
      expect((result as Credentials).value).toBe('abc.def-_~+/==');
      expect((result as Credentials).source).toBe('authorization-header');
    }
  });

  // RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token. Anything else with the Bearer scheme
  // (or with no scheme at all) is a malformed request, not a bad token.
  describe('a header that is not "Bearer" 1*SP b64token is malformed (400)', () => {
    it.each([
      ['an empty bearer', 'Bearer'],
      ['a bearer of spaces', 'Bearer   '],
      ['two tokens', 'Bearer a b'],
      ['two tokens after two spaces', 'Bearer  a  b'],
      ['a tab instead of a space', 'Bearer\tabc'],
      ['a tab after the space', 'Bearer \tabc'],
      ['a tab inside the token', 'Bearer ab\tc'],
      ['a comma list of tokens', 'Bearer a,b'],
      ['a comma list of credentials', 'Bearer a, Bearer b'],
      ['a comma right after the scheme', 'Bearer,abc'],
      ['"=" inside the token', 'Bearer a=b'],
      ['only "="', 'Bearer ==='],
      ['a quoted token', 'Bearer "quoted"'],
      ['a non-ASCII character', 'Bearer abc\u00e9'],
      ['a control character', 'Bearer abc\u0000'],
      ['an auth-param instead of a token', 'Bearer token="abc"'],
      ['an empty header', ''],
      ['a header of whitespace', ' \t '],
      ['no scheme, only a separator first', ',Bearer abc'],
    ])('%s', (_name, value) => {
      expect(reasonOf(extract(['Authorization', value]))).toBe('CHALLENGE:CREDENTIALS_MALFORMED');
    });
  });

  it('calls two Authorization headers ambiguous, whatever their case or scheme', () => {
    expect(reasonOf(extract(['Authorization', 'Bearer a', 'AUTHORIZATION', 'Bearer a']))).toBe(
      'CHALLENGE:CREDENTIALS_AMBIGUOUS',
    );
    expect(reasonOf(extract(['authorization', 'Basic x', 'authorization', 'Bearer a']))).toBe(
      'CHALLENGE:CREDENTIALS_AMBIGUOUS',
    );
  });

  it('calls a token in both the header and the query ambiguous, even when query tokens are off', () => {
    expect(reasonOf(extract(['Authorization', 'Bearer a'], '/x?access_token=a'))).toBe(
      'CHALLENGE:CREDENTIALS_AMBIGUOUS',
    );
    expect(reasonOf(extract(['Authorization', 'Bearer a'], '/x?access_token=a', true))).toBe(
      'CHALLENGE:CREDENTIALS_AMBIGUOUS',
    );
  });

  it('ignores a query token unless accepted, and then reads exactly one', () => {
    expect(extract([], '/x?access_token=abc')).toBeUndefined();
    const accepted = extract([], '/x?y=1&access_token=abc', true);
    expect((accepted as Credentials).value).toBe('abc');
    expect((accepted as Credentials).source).toBe('query');
    expect(reasonOf(extract([], '/x?access_token=a&access_token=b', true))).toBe(
      'CHALLENGE:CREDENTIALS_AMBIGUOUS',
    );
  });

  it.each([
    ['empty', ''],
    ['two tokens (an encoded space)', 'a%20b'],
    ['two tokens ("+" is a space in a query)', 'a+b'],
    ['a comma list', 'a%2Cb'],
    ['"=" inside the token', 'a%3Db'],
    ['a tab', 'a%09b'],
  ])('calls a query token that is not a b64token malformed (%s)', (_name, value) => {
    expect(reasonOf(extract([], `/x?access_token=${value}`, true))).toBe(
      'CHALLENGE:CREDENTIALS_MALFORMED',
    );
  });

  it('reads an encoded "+" in a query token', () => {
    expect((extract([], '/x?access_token=a%2Bb%3D', true) as Credentials).value).toBe('a+b=');
  });

  it('does not mistake a similarly named parameter for a token', () => {
    expect(extract(['Authorization', 'Bearer a'], '/x?my_access_token=1')).toBeInstanceOf(
      Credentials,
    );
  });
});

describe('Credentials', () => {
  it('never shows the secret value when serialised, inspected or printed', async () => {
    const { inspect } = await import('node:util');
    const credentials = new Credentials('bearer', 'super-secret-token', 'authorization-header');
    expect(JSON.stringify(credentials)).not.toContain('super-secret-token');
    expect(inspect(credentials, { showHidden: true, depth: 5 })).not.toContain(
      'super-secret-token',
    );
    expect(`${credentials}`).not.toContain('super-secret-token');
    expect(Object.keys(credentials)).not.toContain('value');
    expect(credentials.value).toBe('super-secret-token');
  });
});

describe('HTTP DPoP credentials (RFC 9449 §7.1)', () => {
  const read = (headers: string[]) =>
    readHttpCredentials({ rawHeaders: headers, url: '/' }, false, undefined, true);

  it('reads the DPoP scheme (any case) with its one proof only when DPoP is accepted', () => {
    const result = read(['Authorization', 'dpop abc', 'DPoP', ' a.b.c ']);
    expect(result).toMatchObject({ dpopProof: 'a.b.c' });
    expect((result as { credentials: Credentials }).credentials.scheme).toBe('dpop');
    expect(extract(['Authorization', 'DPoP abc'])).toBeUndefined();
  });

  it.each([
    ['the DPoP scheme without a proof', ['Authorization', 'DPoP abc'], 'DPOP_PROOF_MISSING'],
    [
      'two DPoP headers',
      ['Authorization', 'DPoP abc', 'DPoP', 'a.b.c', 'dpop', 'a.b.c'],
      'DPOP_PROOF_AMBIGUOUS',
    ],
    [
      'a comma-joined DPoP header',
      ['Authorization', 'DPoP abc', 'DPoP', 'a.b.c, d.e.f'],
      'DPOP_PROOF_AMBIGUOUS',
    ],
    [
      'a proof beside the Bearer scheme',
      ['Authorization', 'Bearer abc', 'DPoP', 'a.b.c'],
      'DPOP_PROOF_UNEXPECTED',
    ],
    [
      'a DPoP token that is not a token68',
      ['Authorization', 'DPoP a b', 'DPoP', 'a.b.c'],
      'CREDENTIALS_MALFORMED',
    ],
    [
      'Bearer and DPoP Authorization headers',
      ['Authorization', 'Bearer a', 'Authorization', 'DPoP a'],
      'CREDENTIALS_AMBIGUOUS',
    ],
  ])('refuses %s', (_name, headers, reason) => {
    expect(reasonOf(read(headers))).toBe(`CHALLENGE:${reason}`);
  });
});
