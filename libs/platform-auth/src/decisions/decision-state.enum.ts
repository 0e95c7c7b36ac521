/**
 * The four outcomes of every auth check.
 *
 * | state       | meaning                                        | HTTP |
 * |-------------|------------------------------------------------|------|
 * | `ALLOW`     | go ahead                                       | —    |
 * | `CHALLENGE` | no, bad or malformed credentials               | 401 (400 for a malformed request) |
 * | `DENY`      | authenticated, not permitted                   | 403  |
 * | `ERROR`     | a dependency failed; nothing was decided       | 503  |
 */
export enum DecisionState {
  Allow = 'ALLOW',
  Challenge = 'CHALLENGE',
  Deny = 'DENY',
  Error = 'ERROR',
}
