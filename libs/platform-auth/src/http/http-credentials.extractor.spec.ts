import { describe, expect, it } from '@jest/globals';
import { Credentials } from '../credentials/credentials.js';
import { AuthorizationDecision } from '../decisions/authorization-decision.js';
import { extractHttpCredentials } from './http-credentials.extractor.js';

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
  });

  it('reads a bearer token with the scheme in any case and any whitespace', () => {
    for (const value of [
      'Bearer abc.def-_~+/==',
      'bearer abc.def-_~+/==',
      'BEARER   abc.def-_~+/==  ',
    ]) {
      const result = extract(['authorization', value]);
      expect(result).toBeInstanceOf(Credentials);
      expect((result as Credentials).value).toBe('abc.def-_~+/==');
      expect((result as Credentials).source).toBe('authorization-header');
    }
  });

  it('calls an empty bearer malformed', () => {
    expect(reasonOf(extract(['Authorization', 'Bearer']))).toBe('CHALLENGE:CREDENTIALS_MALFORMED');
    expect(reasonOf(extract(['Authorization', 'Bearer   ']))).toBe(
      'CHALLENGE:CREDENTIALS_MALFORMED',
    );
  });

  it('calls a token outside the b64token syntax invalid', () => {
    expect(reasonOf(extract(['Authorization', 'Bearer a b']))).toBe('CHALLENGE:TOKEN_INVALID');
    expect(reasonOf(extract(['Authorization', 'Bearer a=b']))).toBe('CHALLENGE:TOKEN_INVALID');
    expect(reasonOf(extract(['Authorization', 'Bearer "quoted"']))).toBe('CHALLENGE:TOKEN_INVALID');
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
    expect(reasonOf(extract([], '/x?access_token=', true))).toBe('CHALLENGE:CREDENTIALS_MALFORMED');
    expect(reasonOf(extract([], '/x?access_token=a%20b', true))).toBe('CHALLENGE:TOKEN_INVALID');
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
