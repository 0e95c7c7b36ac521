import type { Credentials } from '../credentials/credentials.js';
import { AuthorizationDecision } from '../decisions/authorization-decision.js';
import { extractHttpCredentials } from '../transports/http/http-credentials.extractor.js';

const AMBIGUOUS = AuthorizationDecision.challenge('CREDENTIALS_AMBIGUOUS');
const MALFORMED = AuthorizationDecision.challenge('CREDENTIALS_MALFORMED');

/**
 * Bearer credentials from a graphql-ws `connection_init` payload: `{ authorization: 'Bearer …' }`
 * (the key in any case), or the same inside `headers` (Mercurius' convention). The value follows
 * the `Authorization` header's rules (RFC 6750 §2.1): another scheme or none is no credentials,
 * a malformed one `CHALLENGE(CREDENTIALS_MALFORMED)`, two `CHALLENGE(CREDENTIALS_AMBIGUOUS)`.
 */
export function readConnectionCredentials(
  payload: unknown,
): Credentials | AuthorizationDecision | undefined {
  const values = [...authorizationValues(payload)];
  if (isRecord(payload) && isRecord(payload.headers)) {
    values.push(...authorizationValues(payload.headers));
  }
  if (values.length === 0) return undefined;
  if (values.length > 1) return AMBIGUOUS;
  const [value] = values;
  if (typeof value !== 'string') return MALFORMED;
  return extractHttpCredentials({ rawHeaders: ['authorization', value], url: '/' }, false);
}

function authorizationValues(record: unknown): unknown[] {
  if (!isRecord(record)) return [];
  return Object.keys(record)
    .filter((key) => key.toLowerCase() === 'authorization')
    .map((key) => record[key]);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
