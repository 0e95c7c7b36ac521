import { describe, expect, it } from '@jest/globals';
import { readClaim, scopeList, stringArray } from './claim-path.js';
import { resolveClaimsProfile } from './claims-profile.js';

describe('claim paths', () => {
  it('reads nested own properties only', () => {
    const claims = JSON.parse('{"a":{"b":["x"]},"__proto__":{"b":["y"]}}') as Record<
      string,
      unknown
    >;
    expect(readClaim(claims, ['a', 'b'])).toEqual(['x']);
    expect(readClaim(claims, ['toString'])).toBeUndefined();
    expect(readClaim(claims, ['a', 'constructor'])).toBeUndefined();
    expect(readClaim({ a: ['x'] }, ['a', 'length'])).toBeUndefined();
  });

  it('splits scope strings on spaces and refuses arrays with non-strings', () => {
    expect(scopeList('a  b c')).toEqual(['a', 'b', 'c']);
    expect(scopeList(['a', 'b'])).toEqual(['a', 'b']);
    expect(scopeList(['a', 2])).toEqual([]);
    expect(scopeList(7)).toEqual([]);
    expect(stringArray('admin')).toEqual([]);
  });
});

describe('resolveClaimsProfile', () => {
  it('reads keycloak client roles only for the configured client', () => {
    const profile = resolveClaimsProfile(
      { profile: 'keycloak', keycloakClientId: 'api' },
      'claims',
    );
    const claims = {
      realm_access: { roles: ['user'] },
      resource_access: { api: { roles: ['admin'] }, other: { roles: ['root'] } },
    };
    expect(profile.roles(claims)).toEqual(['user', 'admin']);
  });

  it('reads auth0 roles from namespaced claims and permissions as scopes', () => {
    const profile = resolveClaimsProfile('auth0', 'claims');
    const claims = {
      scope: 'openid',
      permissions: ['documents:read'],
      'https://example.com/roles': ['admin'],
      'https://example.com/teams': ['blue'],
      roles: ['not-namespaced'],
    };
    expect(profile.scopes(claims)).toEqual(['openid', 'documents:read']);
    expect(profile.roles(claims)).toEqual(['admin']);
  });

  it('tells client principals from users per IdP', () => {
    expect(resolveClaimsProfile('generic', 'c').principalType({ sub: 'x', client_id: 'x' })).toBe(
      'client',
    );
    expect(resolveClaimsProfile('generic', 'c').principalType({ sub: 'u', client_id: 'x' })).toBe(
      'user',
    );
    expect(resolveClaimsProfile('entra', 'c').principalType({ roles: ['r'] })).toBe('client');
    expect(resolveClaimsProfile('entra', 'c').principalType({ scp: 'a' })).toBe('user');
    expect(resolveClaimsProfile('okta', 'c').principalType({ cid: 'c', uid: 'u' })).toBe('user');
    expect(resolveClaimsProfile('cognito', 'c').principalType({ client_id: 'c' })).toBe('client');
    const keycloak = resolveClaimsProfile('keycloak', 'c');
    expect(keycloak.principalType({ client_id: 'svc' })).toBe('client');
    // A username is user-controlled in many realms: it never makes a client.
    expect(keycloak.principalType({ preferred_username: 'service-account-svc' })).toBe('user');
  });

  it('refuses keycloakClientId on another profile', () => {
    expect(() =>
      resolveClaimsProfile({ profile: 'okta', keycloakClientId: 'api' }, 'claims'),
    ).toThrow('claims.keycloakClientId');
  });
});
