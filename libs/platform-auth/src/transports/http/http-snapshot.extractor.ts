import { isB64token } from '../../credentials/b64token.js';
import { AuthorizationDecision } from '../../decisions/authorization-decision.js';
import { AUTH_SNAPSHOT_HEADER } from '../../snapshots/auth-snapshot.constants.js';
import type { RawHttpRequest } from './http-credentials.extractor.js';

// RFC 9110 §5.5: a field value carries no leading or trailing whitespace (SP, HTAB).
const OUTER_WHITESPACE = /^[ \t]+|[ \t]+$/g;

/**
 * Reads the `x-platform-auth-snapshot` header from the raw request: `undefined` when absent,
 * the value when there is exactly one, `CHALLENGE(CREDENTIALS_AMBIGUOUS)` for several and
 * `CHALLENGE(CREDENTIALS_MALFORMED)` for one that is not a single RFC 6750 `b64token` (empty,
 * a comma list, whitespace or other characters inside; both HTTP 400), as for a bearer token.
 * A well-formed value is judged by the snapshot verifier (401 when it fails).
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
      value = raw[i + 1].replace(OUTER_WHITESPACE, '');
    }
  }
  if (value !== undefined && !isB64token(value)) {
    return AuthorizationDecision.challenge('CREDENTIALS_MALFORMED');
  }
  return value;
}
