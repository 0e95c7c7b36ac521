import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import {
  type AccessTokenSource,
  clientCredentials,
  createAccessTokenSource,
  type TokenLogger,
  type TokenProviderOptions,
} from '@nest-platform/client';
import {
  API_SCOPES,
  AUDIENCE,
  SECRETS,
  startTokenIssuer,
  type TokenIssuer,
} from './fixtures/token-issuer.js';

class CapturingTokenLogger implements TokenLogger {
  readonly lines: string[] = [];
  log = (message: string) => void this.lines.push(message);
  warn = (message: string) => void this.lines.push(message);
  error = (message: string) => void this.lines.push(message);
}

describe('client credentials against oidc-provider', () => {
  let started: TokenIssuer;
  let logger: CapturingTokenLogger;
  const issuerUrl = () => started.issuer.url;
  const source = (
    provider: Partial<Extract<TokenProviderOptions, { grant: 'client_credentials' }>>,
  ): AccessTokenSource =>
    createAccessTokenSource(
      {
        provider: {
          grant: 'client_credentials',
          issuer: issuerUrl(),
          clientId: 'cc-basic',
          clientSecret: SECRETS.basic,
          scope: 'orders:read',
          audience: AUDIENCE,
          allowHttp: true,
          ...provider,
        },
      },
      { logger },
    );

  const verify = async (token: string) =>
    (
      await jwtVerify(token, createRemoteJWKSet(new URL(`${issuerUrl()}/jwks`)), {
        issuer: issuerUrl(),
        audience: AUDIENCE,
      })
    ).payload;

  beforeAll(async () => {
    started = await startTokenIssuer();
  });
  afterAll(() => started.close());
  beforeEach(() => {
    started.issuer.requests.clear();
    logger = new CapturingTokenLogger();
  });

  describe('acquiring', () => {
    it.each([
      ['client_secret_basic', { clientId: 'cc-basic', clientSecret: SECRETS.basic }],
      [
        'client_secret_post',
        { clientId: 'cc-post', clientSecret: SECRETS.post, clientAuth: 'client_secret_post' },
      ],
    ] as const)('gets a JWT for the audience and scopes with %s', async (_method, client) => {
      const token = await source({ ...client, scope: ['orders:write', 'orders:read'] }).getToken();
      const claims = await verify(token);
      expect(claims.client_id).toBe(client.clientId);
      expect(String(claims.scope).split(' ').sort()).toEqual(API_SCOPES.split(' ').sort());
      expect(started.issuer.count('POST /token')).toBe(1);
    });

    it('sends 100 concurrent getToken() calls on a cold cache as exactly one token request', async () => {
      const tokens = source({});
      const results = await Promise.all(Array.from({ length: 100 }, () => tokens.getToken()));
      expect(new Set(results).size).toBe(1);
      expect(started.issuer.count('POST /token')).toBe(1);
      expect(started.issuer.count('GET /.well-known/openid-configuration')).toBe(1);
    });

    it('does no network I/O before the first getToken()', async () => {
      const tokens = source({});
      expect(started.issuer.requests.size).toBe(0);
      expect(await tokens.status()).toEqual({ state: 'empty' });
      expect(await tokens.peekToken()).toBeUndefined();
      expect(started.issuer.requests.size).toBe(0);
    });

    it('invalidates a rejected token and gets exactly one new one', async () => {
      const tokens = source({});
      const first = await tokens.getToken();
      await tokens.invalidate(first);
      const second = await tokens.getToken();
      expect(second).not.toBe(first);
      expect(await tokens.getToken()).toBe(second);
      expect(started.issuer.count('POST /token')).toBe(2);
    });
  });

  describe('refusing', () => {
    it('fails with CLIENT_AUTH_FAILED on a wrong secret, and a second call tries again', async () => {
      const tokens = source({ clientSecret: 'wrong-secret-0123456789abcdef' });
      await expect(tokens.getToken()).rejects.toMatchObject({ code: 'CLIENT_AUTH_FAILED' });
      await expect(tokens.getToken()).rejects.toMatchObject({ code: 'CLIENT_AUTH_FAILED' });
      expect(started.issuer.count('POST /token')).toBe(2);
      expect(await tokens.status()).toEqual({
        state: 'failed',
        lastErrorCode: 'CLIENT_AUTH_FAILED',
      });
    });

    it('fails with CLIENT_AUTH_FAILED for an unknown client', async () => {
      const tokens = source({ clientId: 'nobody' });
      await expect(tokens.getToken()).rejects.toMatchObject({ code: 'CLIENT_AUTH_FAILED' });
    });

    it('fails with TOKEN_REQUEST_REJECTED naming the OAuth error for a grant the client may not use', async () => {
      const error = await source({ clientId: 'app', clientSecret: SECRETS.app })
        .getToken()
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'TOKEN_REQUEST_REJECTED',
        oauthError: 'invalid_request',
      });
    });

    it('fails with TOKEN_ENDPOINT_UNAVAILABLE when nothing listens at the issuer', async () => {
      const tokens = createAccessTokenSource({
        provider: {
          grant: 'client_credentials',
          issuer: 'http://127.0.0.1:9',
          clientId: 'cc-basic',
          clientSecret: SECRETS.basic,
          allowHttp: true,
        },
      });
      await expect(tokens.getToken()).rejects.toMatchObject({ code: 'TOKEN_ENDPOINT_UNAVAILABLE' });
    });
  });

  describe('secrets', () => {
    it('never shows the secret or a token in inspect, JSON, errors or logs', async () => {
      const provider = clientCredentials(
        {
          issuer: issuerUrl(),
          clientId: 'cc-basic',
          clientSecret: SECRETS.basic,
          allowHttp: true,
          audience: AUDIENCE,
        },
        {},
      );
      const tokens = createAccessTokenSource({ provider }, { logger });
      const token = await tokens.getToken();
      const failing = source({ clientSecret: `${SECRETS.basic}-wrong` });
      const error = await failing.getToken().catch((e: unknown) => e);
      const shown = [
        inspect(provider, { depth: 10 }),
        JSON.stringify(provider),
        inspect(tokens, { depth: 10 }),
        JSON.stringify(tokens),
        inspect(error, { depth: 10 }),
        String(error),
        JSON.stringify(error),
        ...logger.lines,
      ].join('\n');
      expect(shown).toContain('cc-basic');
      expect(shown).not.toContain(SECRETS.basic);
      expect(shown).not.toContain(token);
    });
  });

  describe('option validation', () => {
    it.each([
      [{ clientId: '' }, 'client.token.provider.clientId must be a non-empty string'],
      [{ issuer: 'ftp://id.example.com' }, 'client.token.provider.issuer must be an https:// URL'],
      [{ allowHttp: false }, 'client.token.provider.issuer must be an https:// URL'],
      [
        { clientAuth: 'client_secret_jwt' as never },
        'client.token.provider.clientAuth must be one of',
      ],
      [
        { clientSecret: undefined, clientAuth: 'client_secret_post' as const },
        'clientSecret is required',
      ],
      [{ audience: 'not a uri' }, 'client.token.provider.audience must be an absolute URI'],
      [{ scope: 42 as never }, 'client.token.provider.scope must be a string or an array'],
    ])('rejects %j with a TypeError naming the option', (override, message) => {
      expect(() => source(override)).toThrow(TypeError);
      expect(() => source(override)).toThrow(message);
    });

    it('refuses an http:// issuer on a non-loopback host even with allowHttp', () => {
      expect(() => source({ issuer: 'http://id.example.com', allowHttp: true })).toThrow(
        'client.token.provider.issuer must be an https:// URL',
      );
    });
  });
});
