import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { errors } from 'jose';
import { AuthCapability } from '../capabilities/auth-capability.enum.js';
import { AuthProvider } from '../decorators/auth-provider.decorator.js';
import type { AuthContext, DelegationActor } from '../context/auth-context.interface.js';
import { createAuthContext } from '../context/create-auth-context.js';
import type { Credentials } from '../credentials/credentials.js';
import { AuthorizationDecision } from '../decisions/authorization-decision.js';
import { AUTH_SNAPSHOT_TYP } from '../snapshots/auth-snapshot.constants.js';
import type { AuthenticationProvider } from '../ports/authentication-provider.port.js';
import { CacheAdmission } from './cache-admission.js';
import { createBoundedFetch, RemoteFetchError } from './keys/bounded-fetch.js';
import type { KeySetStatus } from './keys/issuer-key-set.js';
import { JWT_AUTH_OPTIONS } from './jwt-auth.module-definition.js';
import type { ResolvedJwtAuthOptions } from './jwt-auth.options.js';
import { decodeUnverifiedJwt } from '../jose/compact-jws.js';
import { isMediaType, mediaType } from '../jose/media-type.js';
import { TrustedIssuer } from './trusted-issuer.js';
import { VerificationCache } from './verification-cache.js';

/** Key-set state of one configured issuer, for health checks. */
export interface JwtIssuerStatus extends KeySetStatus {
  readonly issuer: string;
}

const MAX_DELEGATION_DEPTH = 8;
const INVALID = AuthorizationDecision.challenge('TOKEN_INVALID');
const EXPIRED = AuthorizationDecision.challenge('TOKEN_EXPIRED');
const SNAPSHOT_MEDIA_TYPE = mediaType(AUTH_SNAPSHOT_TYP);

/**
 * `AuthenticationProvider` for JWT access tokens (RFC 9068 by default) from a list of trusted
 * issuers, on `jose`:
 *
 * - the token length is checked before any decoding; a header with `crit` or `b64` is refused
 *   before any key lookup (`decodeUnverifiedJwt`, shared with the snapshot verifier); the
 *   unverified `iss` only selects among the configured issuers (an unknown issuer costs no
 *   request);
 * - signature by jose's `compactVerify` with that issuer's keys only, algorithm allow-list
 *   (never `none` or HMAC), header-supplied keys ignored;
 * - `typ`, issuer, audience, required claims and time claims (with clock tolerance) checked on
 *   the claims decoded once (`checkRegisteredClaims`);
 * - the issuer's claim profile maps claims to scopes, roles, tenant and principal type; every
 *   verified claim stays in `claims` (`cnf` for DPoP, `acr`/`auth_time` for step-up);
 * - a `DPoP`-scheme token is verified like a bearer token (the pipeline then checks its proof);
 * - key set or discovery unavailable → `ERROR(DEPENDENCY_UNAVAILABLE)` (503), never 401.
 *
 * Registered by `JwtAuthModule`; not meant to be provided by hand.
 */
@Injectable()
@AuthProvider(AuthCapability.Authentication)
export class JwtAuthenticationProvider implements AuthenticationProvider, OnApplicationBootstrap {
  private readonly logger = new Logger('JwtAuthentication');
  private readonly issuers = new Map<string, TrustedIssuer>();
  private readonly cache: VerificationCache;
  /** Tokens verified once: the cache takes a token on its second verification. */
  private readonly admission: CacheAdmission;

  constructor(@Inject(JWT_AUTH_OPTIONS) private readonly options: ResolvedJwtAuthOptions) {
    this.cache = new VerificationCache(options.verificationCacheSize);
    this.admission = new CacheAdmission(2 * options.verificationCacheSize);
    const fetch = createBoundedFetch(options.fetch, options.jwks);
    for (const config of options.issuers) {
      this.issuers.set(
        config.issuer,
        new TrustedIssuer(config, {
          fetch,
          allowHttp: options.allowHttp,
          timeoutMs: options.jwks.timeoutMs,
          clockToleranceS: options.clockToleranceS,
          timing: { ...options.jwks, now: options.now },
          keySetEvents: {
            changed: () => this.cache.clear(),
            failed: (failure) =>
              this.logger.warn(`Key set of ${config.issuer} unavailable (${failure}).`),
          },
        }),
      );
    }
  }

  /** Starts loading key sets in the background; boot never waits for (or fails on) the IdP. */
  onApplicationBootstrap(): void {
    if (this.options.allowHttp) {
      this.logger.warn(
        'allowHttp is on: http:// issuer and key-set URLs are accepted. Never use it in production.',
      );
    }
    for (const issuer of this.issuers.values()) issuer.keys.warm().catch(() => undefined);
  }

  /** Key-set state per issuer. */
  status(): readonly JwtIssuerStatus[] {
    return [...this.issuers.values()].map((issuer) => ({
      issuer: issuer.config.issuer,
      ...issuer.keys.status,
    }));
  }

  /** Loads every key set that never loaded (respecting the cooldown); used by health checks. */
  async warm(): Promise<void> {
    await Promise.allSettled([...this.issuers.values()].map((issuer) => issuer.keys.warm()));
  }

  async authenticate(credentials: Credentials): Promise<AuthContext | AuthorizationDecision> {
    const token = credentials.value;
    // A DPoP-scheme token is verified the same way; the pipeline then checks its proof (never cached).
    const { scheme } = credentials;
    if ((scheme !== 'bearer' && scheme !== 'dpop') || token.length > this.options.maxTokenLength) {
      return INVALID;
    }
    const now = this.options.now();
    const cached = this.cache.get(token, now);
    if (cached !== undefined) return cached;

    const unverified = decodeUnverifiedJwt(token);
    if (unverified === undefined) return INVALID;
    // A snapshot is never a bearer token, whatever the issuer's profile requires of `typ`.
    if (isMediaType(unverified.header.typ, SNAPSHOT_MEDIA_TYPE)) return INVALID;
    const { iss } = unverified.payload;
    const issuer = typeof iss === 'string' ? this.issuers.get(iss) : undefined;
    if (issuer === undefined) return INVALID;

    const generation = issuer.keys.status.generation;
    try {
      await issuer.verifySignature(token, unverified);
    } catch (error) {
      return this.verificationFailure(error);
    }
    const checked = issuer.checkClaims(unverified, now);
    if (checked.verdict !== 'valid') return checked.verdict === 'expired' ? EXPIRED : INVALID;
    const context = this.toContext(issuer, checked.claims);
    if (context === undefined) return INVALID;
    // A context verified with a key set that changed meanwhile is used once, never cached.
    if (issuer.keys.status.generation === generation && this.admission.admit(token)) {
      this.cache.set(token, context, (checked.claims.exp as number) * 1000, now);
    }
    return context;
  }

  private verificationFailure(error: unknown): AuthorizationDecision {
    if (error instanceof RemoteFetchError) {
      return AuthorizationDecision.error('DEPENDENCY_UNAVAILABLE', error);
    }
    if (error instanceof errors.JOSEError) return INVALID;
    throw error;
  }

  /**
   * Applies the claim profile to claims whose signature and registered claims were verified;
   * `undefined` when they do not make a valid context.
   */
  private toContext(
    issuer: TrustedIssuer,
    claims: Record<string, unknown>,
  ): AuthContext | undefined {
    const { profile } = issuer.config;
    if (!profile.accepts(claims)) return undefined;
    const delegation = delegationChain(claims.act);
    if (delegation === undefined) return undefined;
    try {
      return createAuthContext({
        subject: claims.sub as string,
        issuer: issuer.config.issuer,
        principalType: profile.principalType(claims),
        clientId: profile.clientId(claims),
        tenant: profile.tenant(claims),
        scopes: profile.scopes(claims),
        roles: profile.roles(claims),
        claims,
        expiresAt: claims.exp as number,
        delegation,
      });
    } catch (error) {
      if (error instanceof TypeError) return undefined;
      throw error;
    }
  }
}

/**
 * RFC 8693 §4.1 `act`: nested actors, the outermost being the current one. `undefined` when
 * malformed or deeper than {@link MAX_DELEGATION_DEPTH}.
 */
function delegationChain(act: unknown): DelegationActor[] | undefined {
  const chain: DelegationActor[] = [];
  let actor = act;
  while (actor !== undefined) {
    if (typeof actor !== 'object' || actor === null || Array.isArray(actor)) return undefined;
    if (chain.length === MAX_DELEGATION_DEPTH) return undefined;
    const { sub, iss, client_id: clientId } = actor as Record<string, unknown>;
    if (typeof sub !== 'string' || sub.length === 0) return undefined;
    if (iss !== undefined && typeof iss !== 'string') return undefined;
    if (clientId !== undefined && typeof clientId !== 'string') return undefined;
    chain.push({
      subject: sub,
      ...(iss !== undefined && { issuer: iss }),
      ...(clientId !== undefined && { clientId }),
    });
    actor = Object.hasOwn(actor, 'act') ? (actor as Record<string, unknown>).act : undefined;
  }
  return chain;
}
