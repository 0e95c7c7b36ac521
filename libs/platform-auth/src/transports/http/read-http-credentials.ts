import { type CredentialSource, Credentials } from '../../credentials/credentials.js';
import { AuthorizationDecision } from '../../decisions/authorization-decision.js';
import type { SnapshotVerifyOptions } from '../../ports/auth-snapshot-verifier.port.js';
import {
  extractDpopProof,
  extractHttpCredentials,
  type RawHttpRequest,
} from './http-credentials.extractor.js';
import { extractHttpSnapshot } from './http-snapshot.extractor.js';

/** How a request may carry a snapshot instead of a bearer token. */
export interface HttpSnapshotAcceptance {
  /** Where it came from (a route's header, a handshake's). */
  readonly source: CredentialSource;
  /** Its use: the binding it must carry, computed from the request (or why it cannot be). */
  use(): SnapshotVerifyOptions | AuthorizationDecision;
}

/** The credentials of an HTTP request, for a route or a WebSocket handshake. */
export interface HttpCredentials {
  readonly credentials?: Credentials;
  readonly snapshotUse?: SnapshotVerifyOptions;
  /** The `DPoP` header's proof, for `DPoP`-scheme credentials (only when DPoP is accepted). */
  readonly dpopProof?: string;
}

/**
 * Bearer credentials (RFC 6750 §2) and, where accepted, an auth-context snapshot
 * (`x-platform-auth-snapshot`), read from the raw request: one caller identity per request, so
 * a bearer token and a snapshot together is `CHALLENGE(CREDENTIALS_AMBIGUOUS)` (400). Shared by
 * the HTTP transport and the WebSocket handshake.
 */
export function readHttpCredentials(
  raw: RawHttpRequest,
  acceptQueryToken: boolean,
  snapshot?: HttpSnapshotAcceptance,
  acceptDpop = false,
): HttpCredentials | AuthorizationDecision {
  const bearer = extractHttpCredentials(raw, acceptQueryToken, acceptDpop);
  if (bearer instanceof AuthorizationDecision) return bearer;
  if (acceptDpop) {
    // RFC 9449 §7.1/§7.2: the DPoP scheme needs exactly one proof; a proof beside the Bearer
    // scheme is a client that mixed them up (oidc-provider and oauth4webapi refuse it too).
    const proof = extractDpopProof(raw);
    if (proof instanceof AuthorizationDecision) return proof;
    if (bearer?.scheme === 'dpop') {
      if (proof === undefined) return AuthorizationDecision.challenge('DPOP_PROOF_MISSING');
      if (snapshot !== undefined && extractHttpSnapshot(raw) !== undefined) {
        return AuthorizationDecision.challenge('CREDENTIALS_AMBIGUOUS');
      }
      return { credentials: bearer, dpopProof: proof };
    }
    if (proof !== undefined && bearer !== undefined) {
      return AuthorizationDecision.challenge('DPOP_PROOF_UNEXPECTED');
    }
  }
  if (snapshot === undefined) return { credentials: bearer };
  const presented = extractHttpSnapshot(raw);
  if (presented instanceof AuthorizationDecision) return presented;
  if (presented === undefined) return { credentials: bearer };
  if (bearer !== undefined) return AuthorizationDecision.challenge('CREDENTIALS_AMBIGUOUS');
  const use = snapshot.use();
  if (use instanceof AuthorizationDecision) return use;
  return { credentials: new Credentials('snapshot', presented, snapshot.source), snapshotUse: use };
}
