import { describe, expect, it } from '@jest/globals';
import {
  checkRegisteredClaims,
  compileClaimRules,
  type RegisteredClaimRules,
} from './registered-claims.js';

const NOW_S = 1_800_000_000;
const NOW_MS = NOW_S * 1000 + 999; // late in the second: comparisons use whole seconds
const TOLERANCE_S = 30;

const RULES: RegisteredClaimRules = {
  issuer: 'https://issuer.test',
  audienceClaim: 'aud',
  audiences: ['urn:documents-api', 'urn:reports-api'],
  requiredClaims: ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti'],
  stringClaims: ['sub', 'client_id', 'jti'],
  typ: 'at+jwt',
  clockToleranceS: TOLERANCE_S,
};
const HEADER = { alg: 'RS256', typ: 'at+jwt' };

/** A JSON number literal written as is (`1e400`, which JSON.stringify cannot produce). */
const raw = (literal: string) => ({ raw: literal });
type ClaimValue = unknown;

/** The payload segment of a claims set: the defaults with `overrides` (undefined removes). */
function segment(overrides: Record<string, ClaimValue> = {}): string {
  const base: Record<string, ClaimValue> = {
    iss: RULES.issuer,
    aud: 'urn:documents-api',
    sub: 'user-1',
    client_id: 'web',
    jti: 'id-1',
    iat: NOW_S - 10,
    exp: NOW_S + 300,
  };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete base[name];
    else base[name] = value;
  }
  const literals: string[] = [];
  const json = JSON.stringify(base, (_key, value: unknown) => {
    if (typeof value === 'object' && value !== null && 'raw' in value) {
      literals.push((value as { raw: string }).raw);
      return `@@${literals.length - 1}@@`;
    }
    return value;
  }).replace(/"@@(\d+)@@"/g, (_m, i: string) => literals[Number(i)]);
  return Buffer.from(json).toString('base64url');
}

const check = (
  overrides: Record<string, ClaimValue> = {},
  rules: RegisteredClaimRules = RULES,
  header: Record<string, unknown> = HEADER,
) => checkRegisteredClaims(header, segment(overrides), compileClaimRules(rules), NOW_MS).verdict;

describe('checkRegisteredClaims', () => {
  it('accepts a token that meets every rule, and hands back the claims jose parsed', () => {
    expect(check()).toBe('valid');
    const result = checkRegisteredClaims(HEADER, segment(), compileClaimRules(RULES), NOW_MS);
    expect(result.claims).toMatchObject({ sub: 'user-1', iss: RULES.issuer });
  });

  it('refuses a payload that is not a JSON object, or not well-formed UTF-8', () => {
    const rules = compileClaimRules(RULES);
    for (const payload of ['[1]', '"x"', '{', '']) {
      expect(
        checkRegisteredClaims(HEADER, Buffer.from(payload).toString('base64url'), rules, NOW_MS)
          .verdict,
      ).toBe('invalid');
    }
    const bad = Buffer.concat([Buffer.from('{"sub":"'), Buffer.from([0xff]), Buffer.from('"}')]);
    expect(checkRegisteredClaims(HEADER, bad.toString('base64url'), rules, NOW_MS).verdict).toBe(
      'invalid',
    );
  });

  describe('typ', () => {
    it.each([
      ['absent', undefined],
      ['JWT', 'JWT'],
      ['another top-level type', 'text/at+jwt'],
      ['a suffix match', 'x-at+jwt'],
      ['a number', 1],
    ])('refuses a typ that is %s', (_label, typ) => {
      expect(check({}, RULES, { alg: 'RS256', typ })).toBe('invalid');
    });

    it('does not look at typ when the rules require none', () => {
      const untyped: RegisteredClaimRules = { ...RULES, typ: undefined };
      expect(check({}, untyped, { alg: 'RS256', typ: 'JWT' })).toBe('valid');
    });
  });

  describe('required claims', () => {
    it.each(RULES.requiredClaims)('refuses a token without %s', (name) => {
      expect(check({ [name]: undefined })).toBe('invalid');
    });

    it('checks presence only for claims that need not be strings', () => {
      expect(check({ jti: null }, { ...RULES, stringClaims: [] })).toBe('valid');
      expect(check({ jti: undefined }, { ...RULES, stringClaims: [] })).toBe('invalid');
    });

    it.each([
      ['sub is a number', { sub: 42 }],
      ['sub is empty', { sub: '' }],
      ['client_id is null', { client_id: null }],
      ['jti is an object', { jti: {} }],
    ])('refuses a token where %s (a string claim)', (_label, overrides) => {
      expect(check(overrides)).toBe('invalid');
    });
  });

  describe('issuer', () => {
    it.each([
      ['another issuer', 'https://evil.test'],
      ['a trailing slash', `${RULES.issuer}/`],
      ['a case variant', RULES.issuer.toUpperCase()],
      ['an array holding it', [RULES.issuer]],
    ])('refuses %s', (_label, iss) => {
      expect(check({ iss })).toBe('invalid');
    });
  });

  describe('audience', () => {
    it('accepts any configured audience, alone or in a list', () => {
      expect(check({ aud: 'urn:reports-api' })).toBe('valid');
      expect(check({ aud: ['urn:other', 'urn:documents-api'] })).toBe('valid');
    });

    it.each([
      ['another audience', 'urn:billing-api'],
      ['a case variant', 'URN:DOCUMENTS-API'],
      ['a list without ours', ['urn:billing-api']],
      ['an empty list', []],
      ['an object', { value: 'urn:documents-api' }],
      ['null', null],
    ])('refuses %s', (_label, aud) => {
      expect(check({ aud })).toBe('invalid');
    });

    it('reads client_id when the profile puts the audience there, as a string only', () => {
      const cognito: RegisteredClaimRules = {
        ...RULES,
        audienceClaim: 'client_id',
        audiences: ['app-client'],
        requiredClaims: ['iss', 'exp', 'client_id'],
        stringClaims: [],
      };
      expect(check({ aud: undefined, client_id: 'app-client' }, cognito)).toBe('valid');
      expect(check({ aud: 'app-client', client_id: 'web' }, cognito)).toBe('invalid');
      expect(check({ aud: undefined, client_id: ['app-client'] }, cognito)).toBe('invalid');
    });
  });

  describe('time', () => {
    it('accepts exp up to the tolerance in the past, and reports expiry beyond it', () => {
      expect(check({ exp: NOW_S - TOLERANCE_S + 1 })).toBe('valid');
      expect(check({ exp: NOW_S - TOLERANCE_S })).toBe('expired');
      expect(check({ exp: NOW_S - 3600 })).toBe('expired');
    });

    it('accepts nbf and iat up to the tolerance in the future, and refuses them beyond it', () => {
      expect(check({ nbf: NOW_S + TOLERANCE_S })).toBe('valid');
      expect(check({ nbf: NOW_S + TOLERANCE_S + 1 })).toBe('invalid');
      expect(check({ iat: NOW_S + TOLERANCE_S })).toBe('valid');
      expect(check({ iat: NOW_S + TOLERANCE_S + 1 })).toBe('invalid');
    });

    it('requires exp even when the rules do not list it', () => {
      const lenient = { ...RULES, requiredClaims: [] };
      expect(check({ exp: undefined }, lenient)).toBe('invalid');
    });

    it.each([
      ['exp is a string', { exp: String(NOW_S + 300) }],
      ['exp is Infinity (JSON 1e400)', { exp: raw('1e400') }],
      ['nbf is a string', { nbf: String(NOW_S) }],
      ['nbf is -Infinity (JSON -1e400)', { nbf: raw('-1e400') }],
      ['iat is null', { iat: null }],
      ['iat is Infinity (JSON 1e999)', { iat: raw('1e999') }],
    ])('refuses a token where %s', (_label, overrides) => {
      expect(check(overrides)).toBe('invalid');
    });

    it('reports an expired token that also breaks another rule as invalid, not expired', () => {
      expect(check({ exp: NOW_S - 3600, aud: 'urn:billing-api' })).toBe('invalid');
      expect(check({ exp: NOW_S - 3600, iat: NOW_S + 3600 })).toBe('invalid');
      expect(check({ exp: NOW_S - 3600 }, RULES, { alg: 'RS256' })).toBe('invalid');
      expect(check({ exp: NOW_S - 3600, sub: '' })).toBe('invalid');
    });
  });
});
