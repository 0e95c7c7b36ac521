import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, EmbeddedJWK, errors, type JWK, jwtVerify } from 'jose';
import { AuthorizationDecision } from '../decisions/authorization-decision.js';
import type { ResolvedDpopOptions } from '../platform-auth.options.js';
import { MemoryReplayStore } from '../snapshots/memory-replay.store.js';
import type { ReplayStore } from '../snapshots/replay-store.port.js';
import { DpopNonces } from './dpop-nonces.js';
import { type DpopPresentation, normalisedTarget } from './dpop-presentation.js';

const INVALID = AuthorizationDecision.challenge('DPOP_PROOF_INVALID');
const REPLAYED = AuthorizationDecision.challenge('DPOP_PROOF_REPLAYED');
const NONCE = AuthorizationDecision.challenge('DPOP_NONCE_REQUIRED');
const KEY_MISMATCH = AuthorizationDecision.challenge('DPOP_KEY_MISMATCH');
const ALLOW = AuthorizationDecision.allow();

/** A proof longer than this is refused before any decoding. */
const MAX_PROOF_LENGTH = 8192;
/** RFC 9449 §11.1: refuse unnecessarily large `jti` values. */
const MAX_JTI_LENGTH = 256;
/** Members only a private or symmetric JWK has. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'priv'];

/** Thrown when the replay store does not answer in time. */
class ReplayStoreTimeoutError extends Error {
  override readonly name = 'ReplayStoreTimeoutError';
}

/**
 * Checks a DPoP proof against the request and the access token it came with (RFC 9449 §4.3,
 * §7.1), in this order, so that a bad proof never spends a `jti`:
 *
 * 1. length bound; jose's `jwtVerify` with the embedded `jwk` (`EmbeddedJWK`: an object, a public
 *    key, `use`/`alg` consistent), the `alg` allow-list (asymmetric only), `typ` exactly
 *    `dpop+jwt`, required `jti`, `htm`, `htu`, `iat`; no private members in `jwk`;
 * 2. `htm` equals the method; `htu` equals the request URL without query and fragment, both
 *    normalised by WHATWG URL (scheme/host case, default port, dot segments);
 * 3. `iat` within `[now − proofMaxAgeS − tolerance, now + tolerance]`;
 * 4. `ath` = base64url(SHA-256(access token)); the proof key's RFC 7638 thumbprint = `cnf.jkt`;
 * 5. with server nonces on, a current `nonce` (else `use_dpop_nonce`);
 * 6. `jti` single use, through the {@link ReplayStore} port keyed by the proof key's thumbprint,
 *    for as long as the proof is acceptable; a store that fails or is slower than
 *    `replayTimeoutMs` → `ERROR(DEPENDENCY_UNAVAILABLE)` (503, fail closed).
 *
 * Every failure of 1–3 is `invalid_dpop_proof`; a replay is `invalid_dpop_proof` too.
 */
export class DpopProofVerifier {
  readonly nonces?: DpopNonces;
  private readonly store: ReplayStore;
  private readonly algorithms: string[];

  constructor(
    private readonly options: ResolvedDpopOptions,
    private readonly now: () => number,
  ) {
    this.algorithms = [...options.algorithms];
    // One entry per accepted proof for proofMaxAgeS: room for ~8000 proofs/s with the defaults.
    this.store = options.replayStore ?? new MemoryReplayStore({ now, maxEntries: 500_000 });
    if (options.nonce) {
      this.nonces = new DpopNonces(options.nonce.secret, options.nonce.rotationS, now);
    }
  }

  /**
   * Whether the proof binds this request to the token's key: `ALLOW`, a `CHALLENGE`, or `ERROR`
   * when the replay store cannot answer.
   */
  async verify(
    presentation: DpopPresentation,
    accessToken: string,
    jkt: string,
  ): Promise<AuthorizationDecision> {
    const { proof } = presentation;
    if (proof.length > MAX_PROOF_LENGTH || presentation.url === undefined) return INVALID;
    const nowMs = this.now();
    let payload: Record<string, unknown>;
    let jwk: JWK;
    try {
      const verified = await jwtVerify(proof, EmbeddedJWK, {
        typ: 'dpop+jwt',
        algorithms: this.algorithms,
        requiredClaims: ['jti', 'htm', 'htu', 'iat'],
        currentDate: new Date(nowMs),
        clockTolerance: this.options.clockToleranceS,
      });
      // jose normalises `typ` (it accepts `application/dpop+jwt`); RFC 9449 §4.3 wants it exact.
      if (verified.protectedHeader.typ !== 'dpop+jwt') return INVALID;
      jwk = verified.protectedHeader.jwk!;
      payload = verified.payload as Record<string, unknown>;
    } catch (error) {
      if (error instanceof errors.JOSEError || error instanceof TypeError) return INVALID;
      throw error;
    }
    if (PRIVATE_MEMBERS.some((member) => Object.hasOwn(jwk, member))) return INVALID;

    const { jti, htm, htu, iat, ath, nonce } = payload;
    if (typeof jti !== 'string' || jti.length === 0 || jti.length > MAX_JTI_LENGTH) return INVALID;
    if (htm !== presentation.method) return INVALID;
    if (typeof htu !== 'string' || normalisedTarget(htu) !== presentation.url) return INVALID;
    const nowS = nowMs / 1000;
    const { proofMaxAgeS, clockToleranceS } = this.options;
    if (
      typeof iat !== 'number' ||
      !Number.isFinite(iat) ||
      iat > nowS + clockToleranceS ||
      iat < nowS - proofMaxAgeS - clockToleranceS
    ) {
      return INVALID;
    }
    if (typeof ath !== 'string' || ath !== accessTokenHash(accessToken)) return INVALID;
    if ((await calculateJwkThumbprint(jwk)) !== jkt) return KEY_MISMATCH;
    if (this.nonces !== undefined && !this.nonces.accepts(nonce)) return NONCE;
    return this.recordOnce(jkt, jti, iat);
  }

  /** The `jti` is new for this key: recorded until the proof would be refused as stale. */
  private async recordOnce(jkt: string, jti: string, iat: number): Promise<AuthorizationDecision> {
    const expiresAt = (iat + this.options.proofMaxAgeS + this.options.clockToleranceS + 1) * 1000;
    let timer: NodeJS.Timeout | undefined;
    try {
      const verdict = await Promise.race([
        this.store.record({
          issuer: `dpop:${jkt}`,
          id: createHash('sha256').update(jti).digest('base64url'),
          binding: '',
          expiresAt,
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new ReplayStoreTimeoutError('the DPoP replay store did not answer')),
            this.options.replayTimeoutMs,
          );
        }),
      ]);
      return verdict === 'first' ? ALLOW : REPLAYED;
    } catch (cause) {
      return AuthorizationDecision.error('DEPENDENCY_UNAVAILABLE', cause);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** base64url(SHA-256(token)): the `ath` claim (RFC 9449 §4.2). */
export function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest('base64url');
}
