/**
 * JOSE `typ` of an auth-context snapshot. Distinct from `at+jwt` (RFC 9068) so that neither can
 * be accepted where the other is expected.
 */
export const AUTH_SNAPSHOT_TYP = 'auth-snapshot+jwt';

/** HTTP header (and message envelope field) that carries a snapshot. */
export const AUTH_SNAPSHOT_HEADER = 'x-platform-auth-snapshot';

/** Value of the `ver` claim: the snapshot schema this library writes and reads. */
export const AUTH_SNAPSHOT_SCHEMA_VERSION = 1;

/** Default snapshot lifetime, in seconds. */
export const DEFAULT_SNAPSHOT_LIFETIME_S = 60;

/** Hard maximum lifetime (`exp - iat`), in seconds: longer snapshots are never minted or accepted. */
export const MAX_SNAPSHOT_LIFETIME_S = 300;

/** Deepest RFC 8693 `act` chain a snapshot may carry. */
export const MAX_SNAPSHOT_DELEGATION_DEPTH = 8;
