export { NotLoggedIn } from './not-logged-in.error.js';
export { AccessDenied } from './access-denied.error.js';
export { DeviceCodeExpired } from './device-code-expired.error.js';
export { LoopbackUnavailable } from './loopback-unavailable.error.js';
export { BrowserUnavailable } from './browser-unavailable.error.js';
export { CallbackTimeout } from './callback-timeout.error.js';
export { AuthorizationFailed } from './authorization-failed.error.js';
export { UnsupportedByIssuer } from './unsupported-by-issuer.error.js';
