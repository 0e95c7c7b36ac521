import type { ConfigService } from '@nestjs/config';
import type { PlatformClientOptions } from '@nest-platform/client';
import { platformClientOptionsFromConfig } from '@nest-platform/client/config';
import { DEMO_CLIENTS } from '../issuer/demo-accounts.js';
import type { SampleEndpoints } from './sample-endpoints.js';

/** The base URL of the outbound client when external mode configures none; never called. */
export const UNCONFIGURED_OUTBOUND_URL = 'https://outbound-not-configured.invalid';

/**
 * Options of the outbound `PlatformClient`:
 * - embedded mode: the API itself, with client-credentials tokens of the demo `sample-service`
 *   client from the embedded issuer;
 * - external mode with `PLATFORM_CLIENT_BASE_URL`: the `PLATFORM_CLIENT_*` variables, mapped and
 *   validated by `platformClientOptionsFromConfig`;
 * - external mode without it: a client with no token and no target, which the outbound route
 *   reports as not configured (503) without calling it. It gets an `https://` placeholder (never
 *   resolved, `.invalid` is reserved by RFC 6761) rather than the API's `http://` URL, which
 *   would need `allowHttp` and its warning about sending bearer tokens over plain HTTP: this
 *   client sends none.
 * @throws TypeError naming every invalid `PLATFORM_CLIENT_*` variable
 */
export function sampleClientOptions(
  config: ConfigService,
  endpoints: SampleEndpoints,
): PlatformClientOptions {
  const { api, issuer } = endpoints;
  if (issuer.mode === 'external') {
    if (config.get<string>('PLATFORM_CLIENT_BASE_URL'))
      return platformClientOptionsFromConfig(config);
    return { baseUrl: UNCONFIGURED_OUTBOUND_URL, retries: 0 };
  }
  const service = DEMO_CLIENTS.service;
  return {
    baseUrl: api.url,
    allowHttp: true,
    timeoutMs: 10_000,
    token: {
      provider: {
        grant: 'client_credentials',
        issuer: issuer.url,
        clientId: service.clientId,
        clientSecret: service.clientSecret,
        scope: ['documents:read'],
        audience: issuer.audience,
        allowHttp: true,
      },
      cache: { kind: 'memory' },
    },
  };
}
