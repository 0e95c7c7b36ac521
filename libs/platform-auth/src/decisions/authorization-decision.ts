import { DecisionState } from './decision-state.enum.js';
import type { AuthReasonCode, ChallengeReason, DenyReason, ErrorReason } from './reason-codes.js';

/** What a step-up challenge asks for (RFC 9470 `acr_values`, `max_age`). */
export interface StepUpChallenge {
  /** Acceptable authentication context class references, in order of preference. */
  readonly acrValues?: readonly string[];
  /** Seconds allowed since the user last actively authenticated. */
  readonly maxAgeS?: number;
}

/**
 * The outcome of an auth check: a {@link DecisionState} and a stable reason code. Immutable;
 * build it with the static factories.
 *
 * @example
 * ```ts
 * return granted ? AuthorizationDecision.allow() : AuthorizationDecision.deny('PERMISSION_DENIED');
 * ```
 */
export class AuthorizationDecision {
  private static readonly ALLOWED = new AuthorizationDecision(DecisionState.Allow, 'ALLOWED');

  private constructor(
    readonly state: DecisionState,
    readonly reason: AuthReasonCode,
    /** For an `INSUFFICIENT_SCOPE` denial: the scopes that would satisfy the route (RFC 6750 `scope`). */
    readonly requiredScopes: readonly string[] = [],
    /** For an `ERROR`: what failed. Logged server-side, never sent to the caller. */
    readonly cause?: unknown,
    /**
     * For an `INSUFFICIENT_USER_AUTHENTICATION` challenge (RFC 9470): the authentication the route
     * requires (`acr_values`, `max_age` of the challenge).
     */
    readonly stepUp?: StepUpChallenge,
  ) {
    Object.freeze(this);
  }

  /** Access granted. */
  static allow(): AuthorizationDecision {
    return AuthorizationDecision.ALLOWED;
  }

  /** No, bad or malformed credentials: the caller must (re)authenticate. */
  static challenge(reason: ChallengeReason): AuthorizationDecision {
    return new AuthorizationDecision(DecisionState.Challenge, reason);
  }

  /**
   * The caller's authentication event does not meet the route's requirement (RFC 9470 §3):
   * 401 `insufficient_user_authentication` with `acr_values` and/or `max_age`.
   */
  static stepUp(required: StepUpChallenge): AuthorizationDecision {
    const stepUp: StepUpChallenge = Object.freeze({
      ...(required.acrValues !== undefined && {
        acrValues: Object.freeze([...required.acrValues]),
      }),
      ...(required.maxAgeS !== undefined && { maxAgeS: required.maxAgeS }),
    });
    return new AuthorizationDecision(
      DecisionState.Challenge,
      'INSUFFICIENT_USER_AUTHENTICATION',
      [],
      undefined,
      stepUp,
    );
  }

  /** The caller is known but not permitted. */
  static deny(reason: DenyReason, requiredScopes: readonly string[] = []): AuthorizationDecision {
    return new AuthorizationDecision(
      DecisionState.Deny,
      reason,
      Object.freeze([...requiredScopes]),
    );
  }

  /** A dependency failed; nothing was decided. Never turned into access. */
  static error(reason: ErrorReason, cause?: unknown): AuthorizationDecision {
    return new AuthorizationDecision(DecisionState.Error, reason, [], cause);
  }

  /** Whether this decision grants access. */
  get allowed(): boolean {
    return this.state === DecisionState.Allow;
  }

  /** A log-safe description (no cause, no credentials). */
  toString(): string {
    return `${this.state}(${this.reason})`;
  }
}
