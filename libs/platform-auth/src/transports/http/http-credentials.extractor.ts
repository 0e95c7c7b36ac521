import { isB64token } from '../../credentials/b64token.js';
import { Credentials } from '../../credentials/credentials.js';
import { AuthorizationDecision } from '../../decisions/authorization-decision.js';

/** What the HTTP extractor needs from a request, on Express and Fastify alike. */
export interface RawHttpRequest {
  /** Node's `IncomingMessage.rawHeaders`: name, value, name, value, … as received. */
  readonly rawHeaders: readonly string[];
  /** The request target (path and query). */
  readonly url: string;
}

/** No bearer credentials, bearer credentials, or a malformed request (a CHALLENGE decision). */
export type ExtractionResult = Credentials | AuthorizationDecision | undefined;

// The auth-scheme is an RFC 9110 token: 1*tchar.
const SCHEME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]*/;
// RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token. SP only: a tab is not a separator.
const SPACES = /^ */;
// RFC 9110 §5.5: a field value carries no leading or trailing whitespace (SP, HTAB).
const OUTER_WHITESPACE = /^[ \t]+|[ \t]+$/g;

/**
 * Reads bearer credentials from the raw request (RFC 6750 §2):
 * - no `Authorization` header, or one with another scheme → `undefined` (a bare challenge);
 * - an `Authorization` header that is not `"Bearer" 1*SP b64token` (§2.1), although its scheme
 *   is `Bearer` or it has no scheme at all (empty, a token list, tabs, spaces or other
 *   characters inside the token, a second token), or an `access_token` parameter that is not a
 *   b64token → `CHALLENGE(CREDENTIALS_MALFORMED)` (400 `invalid_request`);
 * - more than one `Authorization` header, more than one `access_token` parameter, or a token
 *   in both → `CHALLENGE(CREDENTIALS_AMBIGUOUS)` (400 `invalid_request`);
 * - a query token is used only when `acceptQueryToken` is on.
 *
 * A well-formed token is handed on as it is: whether it is valid is the authentication
 * provider's call (401 `invalid_token`). The scheme is case-insensitive; whitespace around the
 * field value is not part of it (Node already strips it). Raw headers are used because Node
 * keeps only the first of duplicate `Authorization` headers.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export function extractHttpCredentials(
  request: RawHttpRequest,
  acceptQueryToken: boolean,
  acceptDpop = false,
): ExtractionResult {
  let header: string | undefined;
  const raw = request.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].length === 13 && raw[i].toLowerCase() === 'authorization') {
      if (header !== undefined) return AuthorizationDecision.challenge('CREDENTIALS_AMBIGUOUS');
      header = raw[i + 1];
    }
  }
  const queryTokens = request.url.includes('access_token') ? queryAccessTokens(request.url) : [];
  if (queryTokens.length > 1) return AuthorizationDecision.challenge('CREDENTIALS_AMBIGUOUS');

  const fromHeader = header === undefined ? undefined : parseAuthorization(header, acceptDpop);
  if (fromHeader instanceof AuthorizationDecision) return fromHeader;
  if (fromHeader !== undefined && queryTokens.length > 0) {
    return AuthorizationDecision.challenge('CREDENTIALS_AMBIGUOUS');
  }
  if (fromHeader !== undefined)
    return new Credentials(fromHeader.scheme, fromHeader.token, 'authorization-header');

  if (queryTokens.length === 0 || !acceptQueryToken) return undefined;
  const [token] = queryTokens;
  if (!isB64token(token)) return AuthorizationDecision.challenge('CREDENTIALS_MALFORMED');
  return new Credentials('bearer', token, 'query');
}

/**
 * The token of an `Authorization` header value, `undefined` for another scheme. With `acceptDpop`,
 * RFC 9449 §7.1's `"DPoP" 1*SP token68` is read too (the same syntax as a bearer token).
 */
function parseAuthorization(
  value: string,
  acceptDpop: boolean,
): { scheme: 'bearer' | 'dpop'; token: string } | AuthorizationDecision | undefined {
  const field = value.replace(OUTER_WHITESPACE, '');
  const scheme = SCHEME.exec(field)![0];
  // No scheme at all (empty, or starting with a separator) is no credentials of any scheme.
  if (scheme.length === 0) return AuthorizationDecision.challenge('CREDENTIALS_MALFORMED');
  const lower = scheme.toLowerCase();
  if (lower !== 'bearer' && !(acceptDpop && lower === 'dpop')) return undefined;
  const spaces = SPACES.exec(field.slice(scheme.length))![0].length;
  const token = field.slice(scheme.length + spaces);
  if (spaces === 0 || !isB64token(token)) {
    return AuthorizationDecision.challenge('CREDENTIALS_MALFORMED');
  }
  return { scheme: lower as 'bearer' | 'dpop', token };
}

/**
 * The `DPoP` header of a request (RFC 9449 §4.3 check 1): `undefined` when absent, the value
 * when there is exactly one, `CHALLENGE(DPOP_PROOF_AMBIGUOUS)` (400) for two headers or one
 * holding a comma list (two headers joined by a proxy). Raw headers are counted because Node
 * joins duplicate `DPoP` headers into one value.
 */
export function extractDpopProof(
  request: RawHttpRequest,
): string | AuthorizationDecision | undefined {
  let value: string | undefined;
  const raw = request.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].length === 4 && raw[i].toLowerCase() === 'dpop') {
      if (value !== undefined) return AuthorizationDecision.challenge('DPOP_PROOF_AMBIGUOUS');
      value = raw[i + 1].replace(OUTER_WHITESPACE, '');
    }
  }
  if (value !== undefined && value.includes(',')) {
    return AuthorizationDecision.challenge('DPOP_PROOF_AMBIGUOUS');
  }
  return value;
}

function queryAccessTokens(url: string): string[] {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return [];
  return new URLSearchParams(url.slice(queryStart + 1)).getAll('access_token');
}
