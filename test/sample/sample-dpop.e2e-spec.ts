import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import * as client from 'openid-client';
import { DEMO_CLIENTS } from '../../apps/sample/src/issuer/demo-accounts.js';
import { send } from '../fixtures/http-client.js';
import { DpopKey } from '../dpop/dpop-proofs.js';
import {
  SAMPLE_SUITE_TIMEOUT_MS,
  type SampleProcess,
  startSample,
} from './fixtures/sample-process.js';

jest.setTimeout(SAMPLE_SUITE_TIMEOUT_MS);

describe('the built sample: GET /documents/dpop and its RFC 9728 metadata', () => {
  let sample: SampleProcess;
  let config: client.Configuration;
  let key: DpopKey;
  let token: string;

  beforeAll(async () => {
    sample = await startSample();
    const service = DEMO_CLIENTS.service;
    config = await client.discovery(
      new URL(sample.banner.issuerUrl),
      service.clientId,
      undefined,
      client.ClientSecretBasic(service.clientSecret),
      { execute: [client.allowInsecureRequests] },
    );
    key = await DpopKey.generate();
    const grant = await client.clientCredentialsGrant(
      config,
      { scope: 'documents:read' },
      { DPoP: client.getDPoPHandle(config, key) },
    );
    expect(grant.token_type).toBe('dpop');
    token = grant.access_token;
  });

  afterAll(async () => {
    await sample?.stop();
  });

  it('answers a DPoP-bound token from the embedded issuer with a fresh proof', async () => {
    const response = await client.fetchProtectedResource(
      config,
      token,
      new URL(`${sample.banner.apiUrl}/documents/dpop`),
      'GET',
      undefined,
      undefined,
      { DPoP: client.getDPoPHandle(config, key) },
    );
    expect(response.status).toBe(200);
    expect(Array.isArray(await response.json())).toBe(true);
  });

  it('refuses the same token replayed as a bearer token', async () => {
    const response = await send(sample.banner.apiUrl, 'GET', '/documents/dpop', [
      ['authorization', `Bearer ${token}`],
    ]);
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(
      /^DPoP realm="platform-sample", error="invalid_token", error_description="A DPoP-bound access token requires the DPoP scheme"/,
    );
  });

  it('serves its metadata, public', async () => {
    const response = await send(
      sample.banner.apiUrl,
      'GET',
      '/.well-known/oauth-protected-resource',
    );
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      resource: sample.banner.apiUrl,
      authorization_servers: [sample.banner.issuerUrl],
      scopes_supported: ['documents:read', 'documents:write'],
      bearer_methods_supported: ['header'],
      resource_name: 'Platform sample documents API',
      dpop_signing_alg_values_supported: ['ES256', 'EdDSA', 'Ed25519'],
      dpop_bound_access_tokens_required: false,
    });
  });
});
