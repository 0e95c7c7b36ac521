import { tokenRevocation } from 'openid-client';
import type { TokenCache } from '../caches/token-cache.port.js';
import { PlatformClientError } from '../errors/platform-client.error.js';
import type { OpenIdConnection } from '../tokens/providers/openid-connection.js';

/** What {@link CliSession.logout} did. */
export interface LogoutResult {
  /** Whether tokens were cached (they are gone now in any case). */
  readonly wasLoggedIn: boolean;
  /**
   * `revoked`: the issuer revoked the refresh token (or the access token when there was none);
   * `unsupported`: the issuer has no revocation endpoint; `failed`: the request failed
   * (`error` says why); `none`: nothing to revoke.
   */
  readonly revocation: 'revoked' | 'unsupported' | 'failed' | 'none';
  readonly error?: PlatformClientError;
}

/**
 * Revokes the session's refresh token (or, without one, its access token) where the issuer
 * supports revocation, and removes the cached session in every case, under the cache lock.
 * @see RFC 7009
 */
export function logoutSession(
  cache: TokenCache,
  key: string,
  connection: OpenIdConnection,
  signal?: AbortSignal,
): Promise<LogoutResult> {
  return cache.withLock(
    key,
    async (): Promise<LogoutResult> => {
      const entry = await cache.get(key);
      if (!entry) return { wasLoggedIn: false, revocation: 'none' };
      const { refreshToken, accessToken } = entry.tokenSet;
      const token = refreshToken ?? (accessToken || undefined);
      try {
        if (!token) return { wasLoggedIn: true, revocation: 'none' };
        return await connection.run(signal, async (config) => {
          if (!config.serverMetadata().revocation_endpoint) {
            return { wasLoggedIn: true, revocation: 'unsupported' } as const;
          }
          await tokenRevocation(config, token, {
            token_type_hint: refreshToken ? 'refresh_token' : 'access_token',
          });
          return { wasLoggedIn: true, revocation: 'revoked' } as const;
        });
      } catch (error) {
        if (!(error instanceof PlatformClientError)) throw error;
        return { wasLoggedIn: true, revocation: 'failed', error };
      } finally {
        await cache.delete(key);
      }
    },
    { signal },
  );
}
