import { DecisionState } from './decision-state.enum.js';
import type { AuthReasonCode, ChallengeReason, DenyReason, ErrorReason } from './reason-codes.js';

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
