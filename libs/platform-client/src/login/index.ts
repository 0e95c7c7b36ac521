/**
 * `@nest-platform/client/login`: interactive login for command-line tools. The device flow
 * (RFC 8628) and the authorization code flow with PKCE (RFC 7636) on a loopback redirect
 * (RFC 8252), a token cache for the session, `whoami` and `logout`.
 */
export {
  cliSession,
  CliSession,
  type CliSessionOptions,
  DEFAULT_LOOPBACK_PORTS,
  type LoginOptions,
  type LoginResult,
  type SessionState,
} from './cli-session.js';
export type { LogoutResult } from './session-logout.js';
export type { DeviceFallbackReason, LoginEvent, LoginEventListener } from './login-event.js';
export { browserBlocker, type LoginEnvironment } from './browser-environment.js';
export {
  type BrowserOpener,
  browserCommand,
  systemBrowserOpener,
  type SystemBrowserOpenerOptions,
} from './browser-opener.js';
export { describeIdentity, type LoginIdentity, maskIdentity } from './login-identity.js';
export * from '../errors/login-errors.js';
export * from '../errors/deprecated-names.js';
