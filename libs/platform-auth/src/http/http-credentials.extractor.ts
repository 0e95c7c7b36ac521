import { Credentials } from '../credentials/credentials.js';
import { AuthorizationDecision } from '../decisions/authorization-decision.js';

/** What the HTTP extractor needs from a request, on Express and Fastify alike. */
export interface RawHttpRequest {
  /** Node's `IncomingMessage.rawHeaders`: name, value, name, value, … as received. */
  readonly rawHeaders: readonly string[];
  /** The request target (path and query). */
  readonly url: string;
}

/** No bearer credentials, bearer credentials, or a malformed request (a CHALLENGE decision). */
export type ExtractionResult = Credentials | AuthorizationDecision | undefined;

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const SCHEME_AND_REST = /^([^\s]+)(?:\s+(.*))?$/s;

/**
 * Reads bearer credentials from the raw request (RFC 6750 §2):
 * - no `Authorization` header, or one with another scheme → `undefined` (a bare challenge);
 * - more than one `Authorization` header, a bearer with no token, or a token in both the header
 *   and the `access_token` query parameter → `CHALLENGE(CREDENTIALS_AMBIGUOUS | CREDENTIALS_MALFORMED)` (400);
 * - a bearer token that is not a b64token → `CHALLENGE(TOKEN_INVALID)` (401 `invalid_token`);
 * - a query token is used only when `acceptQueryToken` is on.
 *
 * Raw headers are used because Node keeps only the first of duplicate `Authorization` headers.
 */
export function extractHttpCredentials(
  request: RawHttpRequest,
  acceptQueryToken: boolean,
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

  const fromHeader = header === undefined ? undefined : parseAuthorization(header);
  if (fromHeader instanceof AuthorizationDecision) return fromHeader;
  if (fromHeader !== undefined && queryTokens.length > 0) {
    return AuthorizationDecision.challenge('CREDENTIALS_AMBIGUOUS');
  }
  if (fromHeader !== undefined)
    return new Credentials('bearer', fromHeader, 'authorization-header');

  if (queryTokens.length === 0 || !acceptQueryToken) return undefined;
  const [token] = queryTokens;
  if (token.length === 0) return AuthorizationDecision.challenge('CREDENTIALS_MALFORMED');
  if (!B64TOKEN.test(token)) return AuthorizationDecision.challenge('TOKEN_INVALID');
  return new Credentials('bearer', token, 'query');
}

/** The bearer token of an `Authorization` header value, `undefined` for another scheme. */
function parseAuthorization(value: string): string | AuthorizationDecision | undefined {
  const match = SCHEME_AND_REST.exec(value.trim());
  if (!match) return undefined;
  const [, scheme, rest = ''] = match;
  if (scheme.toLowerCase() !== 'bearer') return undefined;
  const token = rest.trim();
  if (token.length === 0) return AuthorizationDecision.challenge('CREDENTIALS_MALFORMED');
  if (!B64TOKEN.test(token)) return AuthorizationDecision.challenge('TOKEN_INVALID');
  return token;
}

function queryAccessTokens(url: string): string[] {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return [];
  return new URLSearchParams(url.slice(queryStart + 1)).getAll('access_token');
}
