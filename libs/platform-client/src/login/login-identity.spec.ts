import { describe, expect, it } from '@jest/globals';
import { UnsecuredJWT } from 'jose';
import { describeIdentity, maskIdentity } from './login-identity.js';

const jwt = (claims: Record<string, unknown>) => new UnsecuredJWT(claims).encode();

describe('describeIdentity', () => {
  const tokenSet = {
    accessToken: jwt({ sub: 'alice', tenant: 'acme', roles: ['admin'], scope: 'a b' }),
    tokenType: 'Bearer',
    expiresAt: 123,
    refreshToken: 'rt',
    idToken: jwt({ sub: 'alice', name: 'From ID token', email: 'id@example.com' }),
  };

  it('prefers userinfo, then the ID token, then the access token; never holds a token', () => {
    const identity = describeIdentity('https://id', tokenSet, {
      sub: 'alice',
      name: 'From userinfo',
      preferred_username: 'al',
    });
    expect(identity).toEqual({
      issuer: 'https://id',
      subject: 'alice',
      name: 'From userinfo',
      email: 'id@example.com',
      preferredUsername: 'al',
      tenant: 'acme',
      roles: ['admin'],
      scopes: ['a', 'b'],
      expiresAt: 123,
      refreshable: true,
      userInfo: { ok: true },
    });
    const text = JSON.stringify(identity);
    for (const token of [tokenSet.accessToken, tokenSet.idToken, 'rt']) {
      expect(text).not.toContain(`"${token}"`);
    }
  });

  it('reports why userinfo is missing, and reads tenant aliases and given/family names', () => {
    const identity = describeIdentity(
      'https://id',
      { accessToken: 'opaque', tokenType: 'Bearer', expiresAt: 1, scope: 'x' },
      undefined,
      'the issuer has no userinfo endpoint',
    );
    expect(identity.userInfo).toEqual({ ok: false, reason: 'the issuer has no userinfo endpoint' });
    expect(identity.scopes).toEqual(['x']);
    const named = describeIdentity(
      'https://id',
      {
        accessToken: jwt({ tid: 't-1', given_name: 'Ada', family_name: 'L' }),
        tokenType: 'Bearer',
        expiresAt: 1,
      },
      undefined,
    );
    expect(named).toMatchObject({
      tenant: 't-1',
      name: 'Ada L',
      userInfo: { ok: false, reason: 'not requested' },
    });
  });
});

describe('maskIdentity', () => {
  it('masks every identifying field, subject included, keeping the first character of each word and the top-level domain', () => {
    const masked = maskIdentity(
      describeIdentity(
        'https://id',
        { accessToken: 'x', tokenType: 'Bearer', expiresAt: 1 },
        {
          sub: 'alice',
          name: 'Alice Example',
          email: 'alice@example.com',
          preferred_username: 'alice@acme',
        },
      ),
    );
    expect(masked).toMatchObject({
      subject: 'a***',
      name: 'A*** E***',
      email: 'a***@e***.com',
      preferredUsername: 'a***',
    });
  });
});
