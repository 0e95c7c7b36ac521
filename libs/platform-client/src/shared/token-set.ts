/**
 * What a token provider hands back. `expiresAt` is computed by the provider from the *local*
 * receive time plus `expires_in` (epoch milliseconds, on the injected clock).
 * Never log or serialise a TokenSet as is: it holds secrets.
 */
export interface TokenSet {
  readonly accessToken: string;
  readonly tokenType: string;
  /** Epoch ms on the local (injected) clock. */
  readonly expiresAt: number;
  readonly refreshToken?: string;
  readonly scope?: string;
  /**
   * The OpenID Connect ID token of an interactive login, kept for displaying who is logged in
   * (validated by openid-client when received). A credential too: never print it.
   */
  readonly idToken?: string;
}
