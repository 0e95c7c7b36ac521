export type * from './auth-context.interface.js';
export type * from './auth-invocation.interface.js';
export { createAuthContext, isAuthContext } from './create-auth-context.js';
export { getCurrentAuthContext, runWithAuthContext } from './auth-context.storage.js';
export { AuthContextAccessor } from './auth-context.accessor.js';
