import type { AuthInvocation } from '../context/auth-invocation.interface.js';

/** A DPoP proof as the HTTP transport read it, with the request it must match. */
export interface DpopPresentation {
  /** The `DPoP` header's value (a compact JWS, unverified). */
  readonly proof: string;
  /** The request method (`htm`). */
  readonly method: string;
  /**
   * The request's target URI without query or fragment (`htu`), from the public base URL or the
   * request; `undefined` when it cannot be known (no `Host`): every proof then fails.
   */
  readonly url: string | undefined;
}

const verified = new WeakSet<AuthInvocation>();

/** Marks an invocation whose DPoP proof the authenticator accepted. */
export function markDpopVerified(invocation: AuthInvocation): void {
  verified.add(invocation);
}

/** Whether the invocation's access token came with a proof the authenticator accepted. */
export function isDpopVerified(invocation: AuthInvocation): boolean {
  return verified.has(invocation);
}

/**
 * A URL without query and fragment, after WHATWG URL's normalisation (scheme and host case,
 * default port, dot segments, empty path as `/`), or `undefined` when it is not an http(s) URL.
 */
export function normalisedTarget(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  return `${parsed.origin}${parsed.pathname}`;
}
