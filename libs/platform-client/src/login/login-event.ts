/**
 * Why interactive login uses the device flow instead of the browser: asked for (`forced`), no
 * graphical display, an SSH session, every loopback port taken, the browser could not be
 * launched, the browser did not come back in time, or the issuer has no authorization endpoint
 * (a device-only issuer).
 */
export type DeviceFallbackReason =
  | 'forced'
  | 'no-display'
  | 'ssh'
  | 'ports-taken'
  | 'browser-failed'
  | 'callback-timeout'
  | 'no-authorization-endpoint';

/**
 * What an interactive login reports while it runs, for a CLI to print. None of them carries a
 * secret: no device code, code verifier, authorization code or token (the user code and the
 * verification URIs are meant to be shown to the person).
 */
export type LoginEvent =
  /** The authorization URL the browser is sent to (print it: the browser may not open). */
  | { readonly type: 'authorization-url'; readonly url: string; readonly redirectUri: string }
  /** The browser command succeeded; the login now waits for its redirect. */
  | { readonly type: 'browser-opened'; readonly timeoutMs: number }
  /** Falling back from the browser to the device flow. `detail` is a sentence for people. */
  | { readonly type: 'fallback'; readonly reason: DeviceFallbackReason; readonly detail: string }
  /** Show these to the person: where to go and which code to enter. @see RFC 8628 §3.3 */
  | {
      readonly type: 'device-code';
      readonly verificationUri: string;
      readonly verificationUriComplete?: string;
      readonly userCode: string;
      /** Epoch ms (injected clock) when the code expires. */
      readonly expiresAt: number;
      readonly intervalMs: number;
    }
  /** One poll came back `authorization_pending` (or `slow_down`, which also raised the interval). */
  | {
      readonly type: 'device-pending';
      readonly attempt: number;
      readonly remainingMs: number;
      readonly intervalMs: number;
      readonly slowDown: boolean;
    };

/** Receives {@link LoginEvent}s; must not throw. */
export type LoginEventListener = (event: LoginEvent) => void;
