import { connect, createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DEMO_CLIENTS } from '../../apps/sample/src/issuer/demo-accounts.js';
import {
  type EmbeddedIssuer,
  startEmbeddedIssuer,
} from '../../apps/sample/src/issuer/embedded-issuer.js';
import { bearer, send } from '../fixtures/http-client.js';
import { OidcIssuer } from '../fixtures/oidc-issuer.js';
import { clientCredentials } from './fixtures/demo-login.js';
import {
  freePort,
  runSampleUntilExit,
  SAMPLE_SUITE_TIMEOUT_MS,
  type SampleProcess,
  startSample,
} from './fixtures/sample-process.js';

const AUDIENCE = 'https://documents.example.test';
const CLIENT = { clientId: 'ext-service', clientSecret: 'ext-service-secret' };

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

jest.setTimeout(SAMPLE_SUITE_TIMEOUT_MS);

/** What the sample adds after the challenge of the scheme used: RFC 9728 metadata and DPoP. */
const challengeSuffix = (api: string) => {
  const metadata = `resource_metadata="${api}/.well-known/oauth-protected-resource"`;
  return `, ${metadata}, DPoP realm="platform-sample", algs="ES256 EdDSA Ed25519", ${metadata}`;
};

describe('the built sample against a separate issuer (PLATFORM_AUTH_* set)', () => {
  let issuer: OidcIssuer;
  let sample: SampleProcess;
  let unusedIssuerPort: number;
  let apiPort: number;

  const externalEnv = () => ({
    PLATFORM_AUTH_ISSUER: issuer.url,
    PLATFORM_AUTH_AUDIENCE: AUDIENCE,
    PLATFORM_AUTH_ALLOW_HTTP: 'true',
  });
  const token = async (scope: string) => {
    const { body } = await clientCredentials(issuer.url, CLIENT.clientId, CLIENT.clientSecret, {
      scope,
      resource: AUDIENCE,
    });
    return String(body.access_token);
  };

  beforeAll(async () => {
    issuer = await OidcIssuer.start({
      clients: [
        {
          client_id: CLIENT.clientId,
          client_secret: CLIENT.clientSecret,
          grant_types: ['client_credentials'],
          response_types: [],
          redirect_uris: [],
        },
      ],
      resources: [{ audience: AUDIENCE, scope: 'documents:read documents:write' }],
      configure: { extraTokenClaims: () => ({ tenant: 'acme' }) },
    });
    unusedIssuerPort = await freePort();
    apiPort = await freePort();
    sample = await startSample({
      ...externalEnv(),
      PORT: String(apiPort),
      PLATFORM_SAMPLE_ISSUER_PORT: String(unusedIssuerPort),
      PLATFORM_CLIENT_BASE_URL: `http://127.0.0.1:${apiPort}`,
      PLATFORM_CLIENT_ISSUER: issuer.url,
      PLATFORM_CLIENT_ID: CLIENT.clientId,
      PLATFORM_CLIENT_SECRET: CLIENT.clientSecret,
      PLATFORM_CLIENT_SCOPE: 'documents:read',
      PLATFORM_CLIENT_AUDIENCE: AUDIENCE,
      PLATFORM_CLIENT_ALLOW_HTTP: 'true',
    });
  });
  afterAll(async () => {
    await sample?.stop();
    await issuer?.close();
  });

  const call = (path: string, accessToken?: string) =>
    send(sample.banner.apiUrl, 'GET', path, accessToken ? bearer(accessToken) : []);

  it('starts no embedded issuer and names the external one in the banner', async () => {
    expect(sample.banner.apiUrl).toBe(`http://127.0.0.1:${apiPort}`);
    expect(sample.banner.issuerUrl).toBe(issuer.url);
    expect(sample.output()).toMatch(/Issuer:.*\(external, from PLATFORM_AUTH_ISSUER\)/);
    expect(sample.output()).not.toContain('Demo accounts');
    expect(sample.output()).not.toContain('sample-service-secret');
    expect(await refused(unusedIssuerPort)).toBe(true);
  });

  it('protects the routes with the external issuer', async () => {
    expect((await call('/health')).status).toBe(200);
    const anonymous = await call('/documents');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe(
      'Bearer realm="platform-sample"' + challengeSuffix(sample.banner.apiUrl),
    );
    expect((await call('/documents', await token('documents:read'))).status).toBe(200);
    const me = await call('/me', await token('documents:read'));
    expect(me.json).toMatchObject({
      subject: CLIENT.clientId,
      issuer: issuer.url,
      principalType: 'client',
      tenant: 'acme',
    });
    expect(issuer.count('GET /jwks')).toBeGreaterThan(0);
  });

  it('applies scopes and the tenant claim of the external tokens', async () => {
    const writer = await token('documents:write');
    expect((await call('/documents', writer)).status).toBe(403);
    const reader = await token('documents:read');
    expect((await call('/tenants/acme/documents', reader)).status).toBe(200);
    expect((await call('/tenants/globex/documents', reader)).status).toBe(403);
  });

  describe('tokens of another issuer', () => {
    let other: EmbeddedIssuer;
    beforeAll(async () => {
      other = await startEmbeddedIssuer({ audience: AUDIENCE });
    });
    afterAll(() => other.close());

    it('are refused with 401 invalid_token, even for the right audience', async () => {
      const { status, body } = await clientCredentials(
        other.url,
        DEMO_CLIENTS.service.clientId,
        DEMO_CLIENTS.service.clientSecret,
        { scope: 'documents:read' },
      );
      expect(status).toBe(200);
      const res = await call('/documents', String(body.access_token));
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    });
  });

  it('calls the API through PlatformClient configured by PLATFORM_CLIENT_*', async () => {
    const res = await call('/outbound/documents', await token('documents:read'));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ calledUrl: `http://127.0.0.1:${apiPort}/documents` });
  });

  describe('without PLATFORM_CLIENT_* variables', () => {
    let bare: SampleProcess;
    beforeAll(async () => {
      bare = await startSample(externalEnv());
    });
    afterAll(() => bare.stop());

    it('answers the outbound route with 503 and says what to set', async () => {
      const res = await send(
        bare.banner.apiUrl,
        'GET',
        '/outbound/documents',
        bearer(await token('documents:read')),
      );
      expect(res.status).toBe(503);
      expect(res.text).toContain('PLATFORM_CLIENT_BASE_URL');
      expect((await send(bare.banner.apiUrl, 'GET', '/outbound/documents')).status).toBe(401);
    });

    it('does not warn about sending bearer tokens over plain HTTP: this client sends none', () => {
      expect(bare.output()).not.toContain('sending bearer tokens');
      // The configured client above does send them to an http:// URL, and says so.
      expect(sample.output()).toContain('allowHttp: sending bearer tokens');
    });
  });

  describe('bad configuration fails at boot, naming the variable', () => {
    it.each([
      ['PLATFORM_AUTH_CLOCK_TOLERANCE_S', { PLATFORM_AUTH_CLOCK_TOLERANCE_S: 'abc' }],
      ['PLATFORM_AUTH_AUDIENCE', { PLATFORM_AUTH_AUDIENCE: '' }],
      ['PLATFORM_AUTH_ISSUER', { PLATFORM_AUTH_ALLOW_HTTP: 'false' }],
      ['PLATFORM_AUTH_CLAIMS_PROFILE', { PLATFORM_AUTH_CLAIMS_PROFILE: 'nope-secretish' }],
      [
        'PLATFORM_CLIENT_RETRIES',
        { PLATFORM_CLIENT_BASE_URL: 'http://127.0.0.1:1', PLATFORM_CLIENT_RETRIES: 'many' },
      ],
      ['PORT', { PORT: 'eighty' }],
    ])('%s', async (variable, override) => {
      const { code, output } = await runSampleUntilExit({ ...externalEnv(), ...override });
      expect(code).not.toBe(0);
      expect(output).toContain('The sample did not start');
      expect(output).toContain(variable);
      expect(output).not.toContain('secretish');
      expect(output).not.toContain('Sample API:');
    });

    it('lists every problem at once: PORT together with the PLATFORM_AUTH_* variables', async () => {
      const { code, output } = await runSampleUntilExit({
        ...externalEnv(),
        PORT: 'eighty',
        PLATFORM_AUTH_CLOCK_TOLERANCE_S: 'abc',
        PLATFORM_AUTH_ALGORITHMS: 'rs256',
      });
      expect(code).toBe(1);
      expect(output).toContain('The sample did not start: Invalid configuration:\n  - PORT ');
      expect(output).toMatch(/^ {2}- PLATFORM_AUTH_CLOCK_TOLERANCE_S /m);
      expect(output).toMatch(/^ {2}- PLATFORM_AUTH_ALGORITHMS .*case-sensitively.*write RS256$/m);
      expect(output).not.toMatch(/^\s+at /m);
    });

    it('also in embedded mode (PLATFORM_SAMPLE_ISSUER_PORT)', async () => {
      const { code, output } = await runSampleUntilExit({ PLATFORM_SAMPLE_ISSUER_PORT: '70000' });
      expect(code).not.toBe(0);
      expect(output).toContain('PLATFORM_SAMPLE_ISSUER_PORT');
    });

    it('in embedded mode, before the issuer starts (it is not left listening)', async () => {
      const issuerPort = await freePort();
      const { code, output } = await runSampleUntilExit({
        PLATFORM_SAMPLE_ISSUER_PORT: String(issuerPort),
        PLATFORM_AUTH_CLOCK_TOLERANCE_S: 'abc',
      });
      expect(code).toBe(1);
      expect(output).toContain('PLATFORM_AUTH_CLOCK_TOLERANCE_S');
      expect(output).not.toMatch(/^\s+at /m);
    });
  });

  describe('a port already in use fails at boot with exit 1, naming the variable (no stack)', () => {
    let blocker: Server;
    let busyPort: number;
    beforeAll(async () => {
      blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      busyPort = (blocker.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

    it.each([
      ['PORT', { PLATFORM_SAMPLE_ISSUER_PORT: '0' }],
      ['PLATFORM_SAMPLE_ISSUER_PORT', { PORT: '0' }],
    ])('%s', async (variable, others) => {
      const { code, output } = await runSampleUntilExit({
        ...others,
        [variable]: String(busyPort),
      });
      expect(code).toBe(1);
      expect(output).toContain(
        `The sample did not start: ${variable}: port ${busyPort} on 127.0.0.1 is already in use.`,
      );
      expect(output).toContain(`set ${variable} to another port`);
      expect(output).not.toContain('successfully started');
      expect(output).not.toMatch(/^\s+at /m);
      expect(output).not.toContain('Sample API:');
    });
  });
});
