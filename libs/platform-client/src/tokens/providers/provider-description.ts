import type { ResolvedOAuthClientOptions } from './oauth-provider.options.js';

/** Shown in place of a secret. */
export const REDACTED = '[REDACTED]';

/** What `toJSON()` / `util.inspect` of an OAuth provider show: never a secret, key or token. */
export function describeOAuthProvider(
  grant: string,
  options: ResolvedOAuthClientOptions,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    grant,
    issuer: options.issuer,
    clientId: options.clientId,
    clientAuth: options.clientAuth,
    ...(options.clientSecret === undefined ? {} : { clientSecret: REDACTED }),
    ...(options.privateKey === undefined ? {} : { privateKey: REDACTED }),
    ...(options.scope === undefined ? {} : { scope: options.scope }),
    ...(options.audience === undefined ? {} : { audience: options.audience }),
    ...extra,
  };
}
