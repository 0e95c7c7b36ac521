import type { PlatformAuthModuleOptions } from '@nest-platform/auth';
import type { SampleEndpoints } from './sample-endpoints.js';

/**
 * Inbound auth of the sample: the route table printed at boot, DPoP-bound tokens accepted beside
 * bearer tokens (`GET /documents/dpop` requires them), and the RFC 9728 metadata of the API
 * (`GET /.well-known/oauth-protected-resource`) naming the issuer(s) it trusts.
 */
export function sampleAuthOptions(endpoints: SampleEndpoints): PlatformAuthModuleOptions {
  const { issuer } = endpoints;
  return {
    realm: 'platform-sample',
    logRouteTable: true,
    dpop: { algorithms: ['ES256', 'EdDSA', 'Ed25519'] },
    resourceMetadata: {
      resource: endpoints.api.url,
      authorizationServers: issuer.mode === 'embedded' ? [issuer.url] : [...issuer.urls],
      resourceName: 'Platform sample documents API',
    },
  };
}
