import { MASK } from './redact.js';

/** Longest text passed on (an `error_description` in an error message). */
export const MAX_PASSED_ON_TEXT = 200;

/** Text beyond this is never even looked at (bounds the work on a hostile answer). */
const MAX_SCANNED = 8192;

/**
 * Any run of this many characters that also occurs in a credential is masked, so a truncated,
 * prefixed or re-wrapped echo is caught, not only a verbatim one.
 */
const ECHO_WINDOW = 10;

/**
 * Server-supplied text (an OAuth `error_description` or `error`) made safe to put into an error
 * message: control and non-ASCII characters removed, every credential in `credentials` masked
 * (as sent, URL-encoded, form-encoded or JSON-escaped, and any echo of 10 characters or more of
 * one of them), then bounded to `maxLength` characters. Masking happens before bounding, so a
 * credential cut by the bound cannot leave its beginning behind. `undefined` when nothing is left.
 *
 * @param credentials what the library itself sent with the request (client secret, refresh
 *   token, assertion, code, code verifier, device code, …).
 */
export function scrubCredentials(
  text: string | null | undefined,
  credentials: readonly string[],
  maxLength = MAX_PASSED_ON_TEXT,
): string | undefined {
  if (typeof text !== 'string') return undefined;
  let cleaned = text.slice(0, MAX_SCANNED).replace(/[^\x20-\x7e]/g, '');
  const variants = [...new Set(credentials.filter(Boolean).flatMap(encodings))].sort(
    (a, b) => b.length - a.length,
  );
  for (const variant of variants) cleaned = cleaned.split(variant).join(MASK);
  cleaned = maskEchoes(cleaned, variants);
  const bounded = cleaned.length > maxLength ? `${cleaned.slice(0, maxLength)}...` : cleaned;
  return bounded.trim() || undefined;
}

/** The forms in which a credential may come back. */
function encodings(credential: string): string[] {
  const form = new URLSearchParams({ v: credential }).toString().slice(2);
  return [
    credential,
    encodeURIComponent(credential),
    form,
    JSON.stringify(credential).slice(1, -1),
  ];
}

/** Masks every span covered by a window of {@link ECHO_WINDOW} characters found in a credential. */
function maskEchoes(text: string, credentials: readonly string[]): string {
  const windows = new Set<string>();
  for (const credential of credentials) {
    for (let i = 0; i + ECHO_WINDOW <= credential.length; i++) {
      windows.add(credential.slice(i, i + ECHO_WINDOW));
    }
  }
  if (windows.size === 0 || text.length < ECHO_WINDOW) return text;
  const masked = new Uint8Array(text.length);
  for (let i = 0; i + ECHO_WINDOW <= text.length; i++) {
    if (windows.has(text.slice(i, i + ECHO_WINDOW))) masked.fill(1, i, i + ECHO_WINDOW);
  }
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (!masked[i]) out += text[i];
    else if (i === 0 || !masked[i - 1]) out += MASK;
  }
  return out;
}
