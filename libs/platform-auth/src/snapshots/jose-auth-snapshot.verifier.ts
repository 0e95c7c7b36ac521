import { Inject, Injectable, Logger } from '@nestjs/common';
import { errors, jwtVerify } from 'jose';
import { AuthCapability } from '../capabilities/auth-capability.enum.js';
import { AuthProvider } from '../decorators/auth-provider.decorator.js';
import type { AuthContext } from '../context/auth-context.interface.js';
import { createAuthContext } from '../context/create-auth-context.js';
import { AuthorizationDecision } from '../decisions/authorization-decision.js';
import type {
  AuthSnapshotVerifier,
  SnapshotVerifyOptions,
} from '../ports/auth-snapshot-verifier.port.js';
import { decodeUnverifiedJwt } from '../jose/compact-jws.js';
import { AUTH_SNAPSHOT_TYP } from './auth-snapshot.constants.js';
import {
  AUTH_SNAPSHOT_KEYRING,
  AUTH_SNAPSHOT_OPTIONS,
  AUTH_SNAPSHOT_REPLAY_STORE,
} from './auth-snapshot.module-definition.js';
import type { ResolvedAuthSnapshotOptions } from './auth-snapshot.options.js';
import type { ReplayStore, SnapshotUseVerdict } from './replay-store.port.js';
import { ReplayStoreUnavailableError } from '../errors/replay-store-unavailable.error.js';
import { PlatformAuthError } from '../errors/platform-auth.error.js';
import { sha256 } from './snapshot-binding.js';
import { actDepth, parseSnapshotClaims, type SnapshotClaims } from './snapshot-claims.js';
import type { SnapshotKeyring } from './snapshot-keyring.js';
import { rememberSnapshotOrigin } from './snapshot-origin.js';

const INVALID = AuthorizationDecision.challenge('SNAPSHOT_INVALID');
const EXPIRED = AuthorizationDecision.challenge('SNAPSHOT_EXPIRED');
const REPLAYED = AuthorizationDecision.challenge('SNAPSHOT_REPLAYED');
const REQUIRED_CLAIMS = ['iss', 'aud', 'sub', 'iat', 'exp', 'jti'];

/**
 * `AuthSnapshotVerifier` on `jose`. Before any crypto: length, compact form, no `crit` or `b64`
 * (the header check shared with the JWT provider, in `decodeUnverifiedJwt`), `typ`, `alg`, the
 * `act` depth, a trusted `iss` whose kids include the header's `kid`, and the signed binding
 * (`bnd`) against the one given (with a binding given, `bnd` is required). Then jose's
 * `jwtVerify` (the signature with the key of that `kid`, `aud` = trust domain, `exp` with
 * tolerance, required claims), and the strict schema: every claim's type (unknown claims
 * refused), a single `aud`, a lifetime of at most 300 s, no `iat` in the future beyond the
 * tolerance. Last, replay: a bound snapshot is accepted again
 * only for a use that may repeat (not `singleUse`); an unbound one never. A replay store failure
 * is `ERROR`, never a pass. Registered by `AuthSnapshotModule`.
 */
@Injectable()
@AuthProvider(AuthCapability.SnapshotVerify)
export class JoseAuthSnapshotVerifier implements AuthSnapshotVerifier {
  private readonly logger = new Logger('AuthSnapshot');
  private readonly algorithms: string[];

  constructor(
    @Inject(AUTH_SNAPSHOT_OPTIONS) private readonly options: ResolvedAuthSnapshotOptions,
    @Inject(AUTH_SNAPSHOT_KEYRING) private readonly keyring: SnapshotKeyring,
    @Inject(AUTH_SNAPSHOT_REPLAY_STORE) private readonly replayStore: ReplayStore | null,
  ) {
    this.algorithms = [keyring.algorithm];
  }

  async verify(
    snapshot: string,
    options: SnapshotVerifyOptions = {},
  ): Promise<AuthContext | AuthorizationDecision> {
    const { maxLength, trustedIssuers, trustDomain, clockToleranceS } = this.options;
    if (typeof snapshot !== 'string' || snapshot.length > maxLength) return INVALID;
    const unverified = decodeUnverifiedJwt(snapshot);
    if (unverified === undefined) return INVALID;
    const { header, payload: raw } = unverified;
    if (header.typ !== AUTH_SNAPSHOT_TYP || !this.algorithms.includes(header.alg as string)) {
      return INVALID;
    }
    if (actDepth(raw.act) === undefined) return INVALID;
    // The key must belong to the claimed issuer: another service's key (or any holder of a
    // shared secret of another kid) cannot speak for it.
    const issuerKids = typeof raw.iss === 'string' ? trustedIssuers.get(raw.iss) : undefined;
    if (issuerKids === undefined || !issuerKids.has(header.kid as string)) return INVALID;
    const key = this.keyring.verificationKeyFor(header.kid);
    if (key === undefined) return INVALID;
    // A bound snapshot is valid only for what it was minted for, and a receiver that names a
    // binding accepts only snapshots minted for it (an unbound one is refused there, not used
    // up). Checked on the unverified claim here (cheap); the signature below covers it.
    if (options.binding !== undefined || raw.bnd !== undefined) {
      if (
        typeof options.binding !== 'string' ||
        typeof raw.bnd !== 'string' ||
        sha256(options.binding) !== raw.bnd
      ) {
        return INVALID;
      }
    }

    // jose's jwtVerify: the signature (allow-list, key type) and its claim rules (`aud` the
    // trust domain, `exp` and `nbf` with the tolerance, the required claims); then the strict
    // schema below, on the claims decoded above from the same signed segment.
    try {
      await jwtVerify(snapshot, key, {
        algorithms: this.algorithms,
        audience: trustDomain,
        requiredClaims: REQUIRED_CLAIMS,
        clockTolerance: clockToleranceS,
        currentDate: new Date(this.options.now()),
      });
    } catch (error) {
      if (error instanceof errors.JWTExpired) return EXPIRED;
      if (error instanceof errors.JOSEError) return INVALID;
      throw error;
    }
    const nowS = Math.floor(this.options.now() / 1000);
    // A single audience, exactly the trust domain: no array that merely contains it.
    if (raw.aud !== trustDomain) return INVALID;
    const parsed = parseSnapshotClaims(raw, nowS, clockToleranceS);
    if (parsed === undefined) return INVALID;

    if (this.replayStore !== null) {
      const refusal = await this.recordUse(parsed.claims, options.singleUse === true);
      if (refusal !== undefined) return refusal;
    }
    const context = createAuthContext(parsed.init);
    rememberSnapshotOrigin(context, {
      ...(parsed.claims.txn !== undefined && { correlationId: parsed.claims.txn }),
    });
    // Not marked as authenticated here: the Authenticator marks the context of an invocation it
    // authenticated, so a verifier called directly never yields a signable context.
    return context;
  }

  /**
   * Records the use. Seen before: a redelivery only for a bound snapshot whose use may repeat
   * (its binding is the signed one, checked above); an unbound snapshot, or a single-use
   * binding (POST, a handshake), is a replay.
   */
  private async recordUse(
    claims: SnapshotClaims,
    singleUse: boolean,
  ): Promise<AuthorizationDecision | undefined> {
    let verdict: SnapshotUseVerdict;
    const { timeoutMs } = this.options.replay as { timeoutMs: number };
    let timer: NodeJS.Timeout | undefined;
    try {
      const recording = this.replayStore!.record({
        issuer: claims.iss,
        id: claims.jti,
        binding: claims.bnd ?? '',
        expiresAt: (claims.exp + this.options.clockToleranceS) * 1000,
      });
      // A late answer (or failure) has nobody to tell: the snapshot was refused already.
      recording.catch(() => undefined);
      verdict = await Promise.race([
        recording,
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(
            () => reject(new ReplayStoreUnavailableError('timeout', timeoutMs)),
            timeoutMs,
          );
        }),
      ]);
    } catch (error) {
      this.logger.error(
        `Replay store failed (${error instanceof PlatformAuthError ? error.code : error instanceof Error ? error.name : typeof error}); the snapshot is refused.`,
      );
      return AuthorizationDecision.error('DEPENDENCY_UNAVAILABLE', error);
    } finally {
      clearTimeout(timer);
    }
    if (verdict === 'first') return undefined;
    if (verdict === 'redelivery') {
      return claims.bnd !== undefined && !singleUse ? undefined : REPLAYED;
    }
    if (verdict === 'replay') return REPLAYED;
    return AuthorizationDecision.error('PROVIDER_CONTRACT_VIOLATION');
  }
}
