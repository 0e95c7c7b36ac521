export { ClientClosedError } from './client-closed.error.js';
export { InvalidResponseBodyError } from './invalid-response-body.error.js';
export { PlatformHttpError, type PlatformHttpErrorCode } from './platform-http.error.js';
export { PlatformNetworkError } from './platform-network.error.js';
export { RequestAbortedError } from './request-aborted.error.js';
export { RequestTimeoutError } from './request-timeout.error.js';
export { ResponseTooLargeError } from './response-too-large.error.js';
