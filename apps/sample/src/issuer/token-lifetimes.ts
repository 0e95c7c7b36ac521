/**
 * Lifetimes of the embedded issuer's artefacts, in seconds. Apart from the issuer (which loads
 * oidc-provider) so that the banner can quote them without loading it.
 */

/** Access tokens (every grant) and ID tokens: 10 minutes. */
export const ACCESS_TOKEN_TTL_S = 600;
/** Device codes of the device flow (RFC 8628): 10 minutes. */
export const DEVICE_CODE_TTL_S = 600;
/** Refresh tokens and the grants behind them: 1 day. */
export const REFRESH_TOKEN_TTL_S = 24 * 60 * 60;
/** A login or consent page left open: 10 minutes. */
export const INTERACTION_TTL_S = 600;
/** The issuer's login session (its cookie): 1 day. */
export const SESSION_TTL_S = 24 * 60 * 60;
