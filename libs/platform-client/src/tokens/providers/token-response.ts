import type { TokenEndpointResponse } from 'openid-client';
import { DpopTokenNotBoundError } from '../../errors/dpop-token-not-bound.error.js';
import { InvalidTokenResponseError } from '../../errors/invalid-token-response.error.js';
import type { TokenSet } from '../../shared/token-set.js';

/** Printable ASCII without spaces: safe in an `Authorization` header. @see RFC 6750 §2.1 */
const TOKEN_CHARS = /^[\x21-\x7e]+$/;
const MAX_EXPIRES_IN_S = 366 * 24 * 3600;

/**
 * Turns a token endpoint response into a {@link TokenSet}, fail closed. `expiresAt` is the local
 * receive time plus `expires_in` (or `defaultExpiresInS` when the server sent none). A response
 * without `refresh_token` keeps `previousRefreshToken`, one without `id_token` keeps
 * `previousIdToken`. With `dpop`, the token must be DPoP-bound (`token_type` DPoP; openid-client
 * lower-cases it); without, it must be a bearer token.
 * @throws InvalidTokenResponseError, DpopTokenNotBoundError
 */
export function toTokenSet(
  response: TokenEndpointResponse,
  receivedAt: number,
  defaultExpiresInS: number,
  previousRefreshToken?: string,
  previousIdToken?: string,
  dpop = false,
): TokenSet {
  const { access_token: accessToken, token_type: tokenType, expires_in: expiresIn } = response;
  if (typeof accessToken !== 'string' || !TOKEN_CHARS.test(accessToken)) {
    throw new InvalidTokenResponseError('access_token is missing or not a valid bearer token');
  }
  const type = typeof tokenType === 'string' ? tokenType.toLowerCase() : undefined;
  if (dpop && type !== 'dpop') throw new DpopTokenNotBoundError();
  if (!dpop && type !== 'bearer') throw new InvalidTokenResponseError('token_type is not Bearer');
  const lifetimeS = expiresIn ?? defaultExpiresInS;
  if (typeof lifetimeS !== 'number' || !Number.isFinite(lifetimeS) || lifetimeS <= 0) {
    throw new InvalidTokenResponseError('expires_in is not a positive number');
  }
  const refreshToken = response.refresh_token ?? previousRefreshToken;
  if (refreshToken !== undefined && !TOKEN_CHARS.test(refreshToken)) {
    throw new InvalidTokenResponseError('refresh_token is not a valid token');
  }
  const idToken = typeof response.id_token === 'string' ? response.id_token : previousIdToken;
  return {
    accessToken,
    tokenType: dpop ? 'DPoP' : 'Bearer',
    expiresAt: receivedAt + Math.floor(Math.min(lifetimeS, MAX_EXPIRES_IN_S) * 1000),
    ...(refreshToken === undefined ? {} : { refreshToken }),
    ...(typeof response.scope === 'string' ? { scope: response.scope } : {}),
    ...(idToken === undefined ? {} : { idToken }),
  };
}
