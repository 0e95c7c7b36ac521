import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { DEMO_CLIENTS, DEMO_USERS } from '../../apps/sample/src/issuer/demo-accounts.js';
import {
  type EmbeddedIssuer,
  startEmbeddedIssuer,
} from '../../apps/sample/src/issuer/embedded-issuer.js';
import {
  authorizationCodeLogin,
  clientCredentials,
  deviceLogin,
  inputValue,
  IssuerBrowser,
  jwtHeader,
  jwtPayload,
  publicTokenRequest,
} from './fixtures/demo-login.js';

const AUDIENCE = 'urn:platform-sample:api';
const CLI = DEMO_CLIENTS.cli;
const USER_SCOPE = 'openid profile email offline_access documents:read documents:write';

describe('the embedded issuer', () => {
  let issuer: EmbeddedIssuer;
  let verify: (token: string) => Promise<Record<string, unknown>>;

  beforeAll(async () => {
    issuer = await startEmbeddedIssuer({ audience: AUDIENCE });
    const keys = createRemoteJWKSet(new URL(`${issuer.url}/jwks`));
    verify = async (token) =>
      (
        await jwtVerify(token, keys, {
          issuer: issuer.url,
          audience: AUDIENCE,
          typ: 'at+jwt',
          algorithms: ['RS256'],
        })
      ).payload;
  });
  afterAll(() => issuer.close());

  it('listens on 127.0.0.1 and publishes its discovery document under that issuer', async () => {
    expect(issuer.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const discovery = (await (
      await fetch(`${issuer.url}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      issuer: issuer.url,
      device_authorization_endpoint: `${issuer.url}/device/auth`,
      revocation_endpoint: `${issuer.url}/token/revocation`,
      userinfo_endpoint: `${issuer.url}/me`,
    });
  });

  describe('client credentials', () => {
    it('gives the service client an RFC 9068 JWT for the audience with its tenant', async () => {
      const { status, body } = await clientCredentials(
        issuer.url,
        DEMO_CLIENTS.service.clientId,
        DEMO_CLIENTS.service.clientSecret,
        { scope: 'documents:read documents:write' },
      );
      expect(status).toBe(200);
      const token = String(body.access_token);
      expect(jwtHeader(token).typ).toBe('at+jwt');
      const claims = await verify(token);
      expect(claims).toMatchObject({
        sub: 'sample-service',
        client_id: 'sample-service',
        scope: 'documents:read documents:write',
        tenant: 'acme',
      });
      expect(claims).not.toHaveProperty('roles');
      expect(body.expires_in).toBe(600);
    });

    it('gives the admin client the admin role', async () => {
      const { body } = await clientCredentials(
        issuer.url,
        DEMO_CLIENTS.admin.clientId,
        DEMO_CLIENTS.admin.clientSecret,
        { scope: 'documents:read' },
      );
      expect(await verify(String(body.access_token))).toMatchObject({
        sub: 'sample-admin',
        roles: ['admin'],
        tenant: 'acme',
        scope: 'documents:read',
      });
    });

    it('refuses a wrong secret', async () => {
      const { status, body } = await clientCredentials(issuer.url, 'sample-service', 'wrong');
      expect(status).toBe(401);
      expect(body.error).toBe('invalid_client');
    });

    it('refuses a resource other than the audience', async () => {
      const { status, body } = await clientCredentials(
        issuer.url,
        DEMO_CLIENTS.service.clientId,
        DEMO_CLIENTS.service.clientSecret,
        { resource: 'https://other.example.com' },
      );
      expect(status).toBe(400);
      expect(body.error).toBe('invalid_target');
    });
  });

  describe('authorization code + PKCE on any loopback port', () => {
    it('signs alice in and issues a JWT with tenant and roles, an ID token with her profile and a refresh token', async () => {
      const { tokens, error } = await authorizationCodeLogin(issuer.url, {
        clientId: CLI.clientId,
        redirectUri: 'http://127.0.0.1:8765/callback',
        scope: USER_SCOPE,
        prompt: 'consent',
        login: { username: DEMO_USERS.alice.username, password: DEMO_USERS.alice.password },
      });
      expect(error).toBeUndefined();
      expect(await verify(tokens!.access_token)).toMatchObject({
        sub: 'alice',
        client_id: 'sample-cli',
        tenant: 'acme',
        roles: ['admin'],
        scope: 'documents:read documents:write',
      });
      expect(jwtPayload(tokens!.id_token!)).toMatchObject({
        iss: issuer.url,
        aud: 'sample-cli',
        sub: 'alice',
        name: 'Alice Example',
        email: 'alice@example.com',
      });
      expect(tokens!.refresh_token).toEqual(expect.any(String));

      const refreshed = await publicTokenRequest(issuer.url, {
        grant_type: 'refresh_token',
        client_id: CLI.clientId,
        refresh_token: tokens!.refresh_token!,
      });
      expect(refreshed.status).toBe(200);
      expect(await verify(String(refreshed.body.access_token))).toMatchObject({
        sub: 'alice',
        tenant: 'acme',
      });
    });

    it('signs bob in with his tenant and no roles; userinfo refuses the API-bound token', async () => {
      const { tokens } = await authorizationCodeLogin(issuer.url, {
        clientId: CLI.clientId,
        redirectUri: 'http://127.0.0.1:49152/callback',
        scope: 'openid documents:read',
        login: { username: 'bob', password: 'bob' },
      });
      const claims = await verify(tokens!.access_token);
      expect(claims).toMatchObject({ sub: 'bob', tenant: 'globex', scope: 'documents:read' });
      expect(claims).not.toHaveProperty('roles');
      expect(tokens!.refresh_token).toBeUndefined();
      const userinfo = await fetch(`${issuer.url}/me`, {
        headers: { authorization: `Bearer ${tokens!.access_token}` },
      });
      expect(userinfo.status).toBe(401);
      expect(userinfo.headers.get('www-authenticate')).toContain('invalid_token');
    });

    it('re-renders the login form with 401 on a wrong password', async () => {
      const browser = new IssuerBrowser(issuer.url);
      const query = new URLSearchParams({
        client_id: CLI.clientId,
        response_type: 'code',
        redirect_uri: 'http://127.0.0.1:8400/callback',
        scope: 'openid',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
      });
      const login = await browser.get(`/auth?${query}`);
      expect(login.html).toContain('name="username"');
      const again = await browser.signIn(login, { username: 'alice', password: 'bob' });
      expect(again.status).toBe(401);
      expect(again.html).toContain('Wrong username or password.');
      expect(again.html).not.toContain('value="bob"');
      expect(browser.leftTo).toBeUndefined();
    });

    it('returns access_denied to the client when the user denies consent', async () => {
      const { tokens, error } = await authorizationCodeLogin(issuer.url, {
        clientId: CLI.clientId,
        redirectUri: 'http://127.0.0.1:8401/callback',
        scope: 'openid documents:read',
        login: { username: 'alice', password: 'alice', consent: 'deny' },
      });
      expect(tokens).toBeUndefined();
      expect(error).toBe('access_denied');
    });

    it('never redirects to a non-loopback redirect URI', async () => {
      const browser = new IssuerBrowser(issuer.url);
      const page = await browser.get(
        `/auth?${new URLSearchParams({
          client_id: CLI.clientId,
          response_type: 'code',
          redirect_uri: 'http://evil.example.com:8400/callback',
          scope: 'openid',
          code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
          code_challenge_method: 'S256',
        })}`,
      );
      expect(page.status).toBe(400);
      expect(browser.leftTo).toBeUndefined();
    });

    it('requires PKCE from the public client', async () => {
      const browser = new IssuerBrowser(issuer.url);
      await browser.get(
        `/auth?${new URLSearchParams({
          client_id: CLI.clientId,
          response_type: 'code',
          redirect_uri: 'http://127.0.0.1:8402/callback',
          scope: 'openid',
        })}`,
      );
      expect(browser.leftTo?.searchParams.get('error')).toBe('invalid_request');
    });
  });

  describe('device flow', () => {
    it('signs bob in through /device and issues an API token and a refresh token', async () => {
      const { status, body, pages } = await deviceLogin(issuer.url, {
        clientId: CLI.clientId,
        scope: USER_SCOPE,
        login: { username: 'bob', password: 'bob' },
      });
      expect(pages.at(-1)?.html).toContain('Device connected');
      expect(status).toBe(200);
      expect(await verify(String(body.access_token))).toMatchObject({
        sub: 'bob',
        client_id: 'sample-cli',
        tenant: 'globex',
      });
      expect(body.refresh_token).toEqual(expect.any(String));
      expect(jwtPayload(String(body.id_token))).toMatchObject({ name: 'Bob Example' });
    });

    it('keeps the device waiting (authorization_pending) before the user confirms', async () => {
      const started = await fetch(`${issuer.url}/device/auth`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: CLI.clientId, scope: 'openid' }).toString(),
      });
      const device = (await started.json()) as Record<string, string>;
      const poll = await publicTokenRequest(issuer.url, {
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        client_id: CLI.clientId,
        device_code: device.device_code,
      });
      expect(poll.body.error).toBe('authorization_pending');
    });
  });

  describe('interaction pages', () => {
    it('serve the login form without scripts or external assets, under a strict CSP', async () => {
      const browser = new IssuerBrowser(issuer.url);
      const page = await browser.get(
        `/auth?${new URLSearchParams({
          client_id: CLI.clientId,
          response_type: 'code',
          redirect_uri: 'http://127.0.0.1:8403/callback',
          scope: 'openid',
          code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
          code_challenge_method: 'S256',
        })}`,
      );
      expect(page.html).toMatch(/<form method="post" action="\/interaction\/[\w-]+\/login">/);
      expect(page.html).not.toMatch(/<script|https?:\/\//);
      const direct = await fetch(new URL(new URL(page.url).pathname, issuer.url));
      // Without the interaction cookie the page is refused, not rendered.
      expect(direct.status).toBe(400);
      expect(direct.headers.get('content-security-policy')).toContain("default-src 'none'");
    });

    it('refuse a GET on a form action and unknown paths', async () => {
      expect((await fetch(`${issuer.url}/interaction/abc/login`)).status).toBe(405);
      expect((await fetch(`${issuer.url}/interaction/a/b/c`)).status).toBe(404);
    });

    it('deny the device when the user aborts on the confirm page', async () => {
      const started = await fetch(`${issuer.url}/device/auth`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: CLI.clientId, scope: 'openid' }).toString(),
      });
      const device = (await started.json()) as Record<string, string>;
      const browser = new IssuerBrowser(issuer.url);
      const input = await browser.get('/device');
      const confirm = await browser.post('/device', {
        xsrf: inputValue(input.html, 'xsrf') ?? '',
        user_code: device.user_code,
      });
      const after = await browser.post('/device', {
        xsrf: inputValue(confirm.html, 'xsrf') ?? '',
        user_code: device.user_code,
        abort: 'yes',
      });
      expect(after.html).toContain('The sign-in was cancelled');
      expect(after.html).not.toContain('not valid');
      const poll = await publicTokenRequest(issuer.url, {
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        client_id: CLI.clientId,
        device_code: device.device_code,
      });
      expect(poll.body.error).toBe('access_denied');
    });

    it('say the sign-in was cancelled, not that the code is invalid, after Deny on the consent page', async () => {
      const started = await fetch(`${issuer.url}/device/auth`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: CLI.clientId, scope: 'openid' }).toString(),
      });
      const device = (await started.json()) as Record<string, string>;
      const browser = new IssuerBrowser(issuer.url);
      const input = await browser.get('/device');
      const confirm = await browser.post('/device', {
        xsrf: inputValue(input.html, 'xsrf') ?? '',
        user_code: device.user_code,
      });
      const login = await browser.post('/device', {
        xsrf: inputValue(confirm.html, 'xsrf') ?? '',
        user_code: device.user_code,
        confirm: 'yes',
      });
      const after = await browser.signIn(login, {
        username: 'alice',
        password: 'alice',
        consent: 'deny',
      });
      expect(after.html).toContain('The sign-in was cancelled');
      expect(after.html).not.toContain('not valid');
      const poll = await publicTokenRequest(issuer.url, {
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        client_id: CLI.clientId,
        device_code: device.device_code,
      });
      expect(poll.body.error).toBe('access_denied');
    });

    it('say that a wrong code is not valid', async () => {
      const browser = new IssuerBrowser(issuer.url);
      const input = await browser.get('/device');
      const after = await browser.post('/device', {
        xsrf: inputValue(input.html, 'xsrf') ?? '',
        user_code: 'WXYZ-WXYZ',
      });
      expect(after.html).toContain('That code is not valid. Try again.');
    });
  });

  it('stops answering after close()', async () => {
    const other = await startEmbeddedIssuer({ audience: AUDIENCE });
    await other.close();
    await expect(fetch(`${other.url}/jwks`)).rejects.toThrow();
  });

  it('refuses an audience that is not an absolute URI', async () => {
    await expect(startEmbeddedIssuer({ audience: 'documents' })).rejects.toThrow(TypeError);
  });
});
