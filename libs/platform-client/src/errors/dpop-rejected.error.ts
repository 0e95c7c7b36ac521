import { PlatformClientError } from './platform-client.error.js';

/** Where a DPoP proof was refused. */
export type DpopRejectedAt = 'token_endpoint' | 'api';

/**
 * A server refused the client's DPoP proof (`invalid_dpop_proof`), or kept asking for a nonce
 * after the one retry with the nonce it sent (`use_dpop_nonce`). At the API it is the final
 * answer to a call (after the 401 re-authentication and the nonce retry); at the token endpoint,
 * after openid-client's one nonce retry. Code `DPOP_REJECTED`. The message names the OAuth error
 * and, for the API, method, path and status: never a proof, token or key.
 * @see RFC 9449 §7.1, §8, §9, §12.2
 */
export class DpopRejectedError extends PlatformClientError<'DPOP_REJECTED'> {
  override readonly name = 'DpopRejectedError';

  constructor(
    readonly at: DpopRejectedAt,
    /** `invalid_dpop_proof`, `use_dpop_nonce`, or another DPoP challenge error (sanitised). */
    readonly oauthError: string,
    readonly status: number,
    readonly method?: string,
    readonly path?: string,
    readonly attempts?: number,
  ) {
    super(
      'DPOP_REJECTED',
      at === 'api'
        ? `${method} ${path} failed with HTTP ${status}: the API refused the DPoP proof (${oauthError}) after ${attempts} attempt(s).`
        : `The token endpoint refused the DPoP proof (${oauthError}, HTTP ${status}). ` +
            "Potential solutions: check the clock, and that the server accepts the key's algorithm.",
    );
  }
}
