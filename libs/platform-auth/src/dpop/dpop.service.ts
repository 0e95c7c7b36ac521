import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { AuthContext } from '../context/auth-context.interface.js';
import type { AuthInvocation } from '../context/auth-invocation.interface.js';
import type { Credentials } from '../credentials/credentials.js';
import { AuthorizationDecision } from '../decisions/authorization-decision.js';
import { PLATFORM_AUTH_OPTIONS } from '../platform-auth.tokens.js';
import type { ResolvedPlatformAuthOptions } from '../platform-auth.options.js';
import type { DpopProofVerifier } from './dpop-proof.verifier.js';
import { type DpopPresentation, markDpopVerified } from './dpop-presentation.js';

const BOUND_AS_BEARER = AuthorizationDecision.challenge('TOKEN_DPOP_BOUND');
const NOT_BOUND = AuthorizationDecision.challenge('TOKEN_NOT_DPOP_BOUND');
const MISSING = AuthorizationDecision.challenge('DPOP_PROOF_MISSING');

/**
 * The sender-constraint step of authentication (RFC 9449 §7), after the token itself verified
 * (so a token verification cached by the provider still meets a fresh proof check every time):
 *
 * - a token with `cnf.jkt` presented as `Bearer` is refused (§7.2), whether DPoP is on or not;
 * - the `DPoP` scheme needs a token with `cnf.jkt` and a proof that {@link DpopProofVerifier}
 *   accepts for this request, this token and that key; the invocation is then marked as
 *   DPoP-verified (what `@RequireDpop()` checks).
 */
@Injectable()
export class DpopBinding implements OnModuleInit {
  /** Absent when DPoP is off (and until the module is initialised). */
  verifier?: DpopProofVerifier;

  constructor(
    @Inject(PLATFORM_AUTH_OPTIONS) private readonly options: ResolvedPlatformAuthOptions,
  ) {}

  /**
   * Loads the proof verifier only when DPoP is on: it needs `jose`, which the package's core
   * entry does not load otherwise. Before any request is served (Nest awaits it).
   */
  async onModuleInit(): Promise<void> {
    const { dpop, now } = this.options;
    if (!dpop) return;
    const { DpopProofVerifier } = await import('./dpop-proof.verifier.js');
    this.verifier = new DpopProofVerifier(dpop, now);
  }

  async check(
    credentials: Credentials,
    caller: AuthContext,
    invocation: AuthInvocation,
    presentation: DpopPresentation | undefined,
  ): Promise<AuthContext | AuthorizationDecision> {
    const jkt = boundThumbprint(caller);
    if (credentials.scheme !== 'dpop') {
      return jkt === undefined ? caller : BOUND_AS_BEARER;
    }
    if (this.verifier === undefined) return AuthorizationDecision.challenge('TOKEN_INVALID');
    if (jkt === undefined) return NOT_BOUND;
    if (presentation === undefined) return MISSING;
    const decision = await this.verifier.verify(presentation, credentials.value, jkt);
    if (!decision.allowed) return decision;
    markDpopVerified(invocation);
    return caller;
  }
}

/** `cnf.jkt` of the caller's claims (RFC 9449 §6.1), when it is a non-empty string. */
export function boundThumbprint(caller: AuthContext): string | undefined {
  const cnf = caller.claims.cnf;
  if (typeof cnf !== 'object' || cnf === null) return undefined;
  const jkt = (cnf as Record<string, unknown>).jkt;
  return typeof jkt === 'string' && jkt.length > 0 ? jkt : undefined;
}
