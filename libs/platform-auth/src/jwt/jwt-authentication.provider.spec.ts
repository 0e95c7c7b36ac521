import { afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { AuthContext } from '../context/auth-context.interface.js';
import { isAuthContext } from '../context/create-auth-context.js';
import { Credentials } from '../credentials/credentials.js';
import { AuthorizationDecision } from '../decisions/authorization-decision.js';
import { DecisionState } from '../decisions/decision-state.enum.js';
import { TestIssuer } from '../testing/test-issuer.js';
import { resolveJwtAuthOptions } from './jwt-auth.options.js';
import { JwtAuthenticationProvider } from './jwt-authentication.provider.js';
import { TrustedIssuer } from './trusted-issuer.js';

const AUDIENCE = 'urn:cache-test';

describe('JwtAuthenticationProvider verification cache', () => {
  let issuer: TestIssuer;

  beforeAll(async () => {
    issuer = await TestIssuer.create({ issuer: 'https://cache.test', audience: AUDIENCE });
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  function setUp(verificationCache?: false) {
    const provider = new JwtAuthenticationProvider(
      resolveJwtAuthOptions({
        issuers: [issuer.issuerOptions()],
        ...(verificationCache === false && { verificationCache }),
      }),
    );
    const verifications = jest.spyOn(TrustedIssuer.prototype, 'verifySignature');
    const authenticate = async (token: string) => {
      const result = await provider.authenticate(
        new Credentials('bearer', token, 'authorization-header'),
      );
      expect(isAuthContext(result)).toBe(true);
      return result;
    };
    return { authenticate, verifications };
  }

  it('caches a token from its second verification on, so later requests skip the signature check', async () => {
    const { authenticate, verifications } = setUp();
    const token = await issuer.sign();
    await authenticate(token);
    await authenticate(token);
    expect(verifications).toHaveBeenCalledTimes(2);
    const third = await authenticate(token);
    expect(await authenticate(token)).toBe(third);
    expect(verifications).toHaveBeenCalledTimes(2);
  });

  it('hands every request an immutable context: one request cannot change what the next sees', async () => {
    const { authenticate } = setUp();
    const token = await issuer.sign({ realm_access: { roles: ['reader'] }, groups: ['g1'] });
    for (let sighting = 0; sighting < 3; sighting += 1) await authenticate(token); // now cached
    const first = (await authenticate(token)) as AuthContext;
    const realm = first.claims.realm_access as { roles: string[] };
    expect(() => realm.roles.push('admin')).toThrow(TypeError);
    expect(() => {
      (first.claims as Record<string, unknown>).groups = ['root'];
    }).toThrow(TypeError);
    const next = (await authenticate(token)) as AuthContext;
    expect(next.claims.realm_access).toEqual({ roles: ['reader'] });
    expect(next.claims.groups).toEqual(['g1']);
  });

  it('keeps tokens seen once out of the cache', async () => {
    const { authenticate, verifications } = setUp();
    const tokens = await Promise.all(
      Array.from({ length: 20 }, (_, index) => issuer.sign({ sub: `user-${index}` })),
    );
    for (const token of tokens) await authenticate(token);
    for (const token of tokens) await authenticate(token); // second sighting: verified, admitted
    expect(verifications).toHaveBeenCalledTimes(40);
    for (const token of tokens) await authenticate(token);
    expect(verifications).toHaveBeenCalledTimes(40);
  });

  it('verifies every request when the cache is off', async () => {
    const { authenticate, verifications } = setUp(false);
    const token = await issuer.sign();
    for (let request = 0; request < 4; request += 1) await authenticate(token);
    expect(verifications).toHaveBeenCalledTimes(4);
  });
});

describe('JwtAuthenticationProvider discovery', () => {
  const ISSUER = 'https://idp.test';
  let issuer: TestIssuer;

  beforeAll(async () => {
    issuer = await TestIssuer.create({ issuer: ISSUER, audience: AUDIENCE });
  });

  /** A provider discovering `https://idp.test` through a fake `fetch` that records every URL. */
  function discovering(jwksUri: string) {
    const requested: string[] = [];
    const fakeFetch: typeof fetch = async (input) => {
      const url = String(input instanceof Request ? input.url : input);
      requested.push(url);
      const body =
        url === `${ISSUER}/.well-known/openid-configuration`
          ? { issuer: ISSUER, jwks_uri: jwksUri }
          : issuer.jwks;
      return new Response(JSON.stringify(body), {
        headers: { 'content-type': 'application/json' },
      });
    };
    const provider = new JwtAuthenticationProvider(
      resolveJwtAuthOptions({
        issuers: [{ issuer: ISSUER, audience: AUDIENCE }],
        fetch: fakeFetch,
      }),
    );
    const authenticate = async () =>
      provider.authenticate(new Credentials('bearer', await issuer.sign(), 'authorization-header'));
    return { authenticate, requested };
  }

  it('uses the key set at an https:// jwks_uri the discovery document names', async () => {
    const { authenticate, requested } = discovering(`${ISSUER}/jwks`);
    expect(isAuthContext(await authenticate())).toBe(true);
    expect(requested).toEqual([`${ISSUER}/.well-known/openid-configuration`, `${ISSUER}/jwks`]);
  });

  it('refuses an http:// jwks_uri without allowHttp: 503, and the key set is never fetched', async () => {
    const { authenticate, requested } = discovering('http://idp.test/jwks');
    const decision = await authenticate();
    expect(decision).toBeInstanceOf(AuthorizationDecision);
    expect(decision).toMatchObject({
      state: DecisionState.Error,
      reason: 'DEPENDENCY_UNAVAILABLE',
    });
    expect(requested).toEqual([`${ISSUER}/.well-known/openid-configuration`]);
  });
});
