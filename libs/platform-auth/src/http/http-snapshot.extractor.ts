import { AuthorizationDecision } from '../decisions/authorization-decision.js';
import { AUTH_SNAPSHOT_HEADER } from '../snapshots/auth-snapshot.constants.js';
import type { RawHttpRequest } from './http-credentials.extractor.js';

/**
 * Reads the `x-platform-auth-snapshot` header from the raw request: `undefined` when absent,
 * the value when there is exactly one, `CHALLENGE(CREDENTIALS_AMBIGUOUS)` for several and
 * `CHALLENGE(CREDENTIALS_MALFORMED)` for an empty one (both HTTP 400).
 */
export function extractHttpSnapshot(
  request: RawHttpRequest,
): string | AuthorizationDecision | undefined {
  let value: string | undefined;
  const raw = request.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    if (
      raw[i].length === AUTH_SNAPSHOT_HEADER.length &&
      raw[i].toLowerCase() === AUTH_SNAPSHOT_HEADER
    ) {
      if (value !== undefined) return AuthorizationDecision.challenge('CREDENTIALS_AMBIGUOUS');
      value = raw[i + 1].trim();
    }
  }
  if (value === '') return AuthorizationDecision.challenge('CREDENTIALS_MALFORMED');
  return value;
}
