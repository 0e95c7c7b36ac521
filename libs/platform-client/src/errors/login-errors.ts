export { NotLoggedInError } from './not-logged-in.error.js';
export { AccessDeniedError } from './access-denied.error.js';
export { DeviceCodeExpiredError } from './device-code-expired.error.js';
export { LoopbackUnavailableError } from './loopback-unavailable.error.js';
export { BrowserUnavailableError } from './browser-unavailable.error.js';
export { CallbackTimeoutError } from './callback-timeout.error.js';
export { AuthorizationResponseError } from './authorization-response.error.js';
export { UnsupportedByIssuerError } from './unsupported-by-issuer.error.js';
