import { decodeJwt, decodeProtectedHeader, type JWSHeaderParameters, type JWTPayload } from 'jose';

/**
 * A compact JWT's protected header and claims, decoded but not verified: for routing and
 * pre-crypto checks, and trusted only once its signature over these segments is verified.
 */
export interface UnverifiedJwt {
  readonly header: JWSHeaderParameters;
  readonly payload: JWTPayload;
  /** `header.payload`, what the signature covers. */
  readonly signingInput: string;
  /** The payload segment (base64url), for jose's claim rules. */
  readonly payloadSegment: string;
  /** The signature bytes. */
  readonly signature: Buffer;
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Splits a compact JWS and decodes its header and payload with jose (`decodeProtectedHeader`,
 * `decodeJwt`: well-formed UTF-8 JSON objects), refusing a header that asks for a JWS extension
 * (see {@link usesJwsExtension}); `undefined` for anything else. Unverified: the JWT provider and
 * the snapshot verifier select the issuer and key and run their pre-crypto checks on it, and
 * trust the claims only once the signature over these same segments is verified.
 *
 * The signature must be in its one canonical encoding (no padding, no spare bits set): a token
 * has exactly one accepted spelling, so the verification cache holds one entry per token and
 * nothing keyed by token strings can be sidestepped by re-spelling the signature.
 */
export function decodeUnverifiedJwt(token: string): UnverifiedJwt | undefined {
  if (!COMPACT_JWS.test(token)) return undefined;
  const headerEnd = token.indexOf('.');
  const payloadEnd = token.indexOf('.', headerEnd + 1);
  if (!isCanonicalBase64url(token, payloadEnd + 1)) return undefined;
  let header: JWSHeaderParameters;
  let payload: JWTPayload;
  try {
    // jose parses: strict UTF-8, JSON objects only.
    header = decodeProtectedHeader(token) as JWSHeaderParameters;
    if (usesJwsExtension(header)) return undefined;
    payload = decodeJwt(token);
  } catch {
    return undefined;
  }
  return {
    header,
    payload,
    signingInput: token.slice(0, payloadEnd),
    payloadSegment: token.slice(headerEnd + 1, payloadEnd),
    signature: Buffer.from(token.slice(payloadEnd + 1), 'base64url'),
  };
}

/**
 * The one header check both verifiers run before any key is looked up: a header with `crit`
 * (RFC 7515 §4.1.11) or `b64` (RFC 7797) asks for an extension neither implements. jose would
 * verify an RFC 7797 unencoded payload (`crit: ["b64"]`, `b64: false`) over the segment's raw
 * bytes, while the claims here are read as its base64url; so any such header is refused, whatever
 * its value, instead of being understood one way by jose and another way here.
 */
export function usesJwsExtension(header: Readonly<Record<string, unknown>>): boolean {
  return Object.hasOwn(header, 'crit') || Object.hasOwn(header, 'b64');
}

/**
 * Whether `text.slice(start)` (base64url characters only, checked by the caller) is the one
 * unpadded encoding of its bytes: its length is not 1 mod 4 and the bits the last character
 * carries beyond the last byte are zero. Same answer as a decode and re-encode round trip,
 * without the copies.
 */
function isCanonicalBase64url(text: string, start: number): boolean {
  const spare = SPARE_BITS[(text.length - start) % 4];
  return spare !== undefined && (base64urlValue(text.charCodeAt(text.length - 1)) & spare) === 0;
}

/** Mask of the unused low bits of the last character, by encoded length mod 4 (1: invalid). */
const SPARE_BITS = [0, undefined, 0b1111, 0b11] as const;

/** The 6-bit value of a base64url character (`A`–`Z`, `a`–`z`, `0`–`9`, `-`, `_`). */
function base64urlValue(code: number): number {
  if (code >= 0x61) return code - 0x61 + 26; // a-z
  if (code >= 0x41) return code === 0x5f ? 63 : code - 0x41; // A-Z, _
  if (code >= 0x30) return code - 0x30 + 52; // 0-9
  return 62; // -
}
