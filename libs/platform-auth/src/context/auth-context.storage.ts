import { AsyncLocalStorage } from 'node:async_hooks';
import type { ExecutionContext } from '@nestjs/common';
import type { AuthContext } from './auth-context.interface.js';

const storage = new AsyncLocalStorage<AuthContext>();
const byCarrier = new WeakMap<object, AuthContext>();

/** Runs `fn` with `context` readable through {@link getCurrentAuthContext} in its call tree. */
export function runWithAuthContext<T>(context: AuthContext, fn: () => T): T {
  return storage.run(context, fn);
}

/**
 * The {@link AuthContext} of the request whose call tree this code runs in, or `undefined`
 * (public route, background job, code outside a request).
 */
export function getCurrentAuthContext(): AuthContext | undefined {
  return storage.getStore();
}

/** Binds a verified context to the request (or message) object it was established for. */
export function bindAuthContext(carrier: object, context: AuthContext): void {
  byCarrier.set(carrier, context);
}

/** The context bound to a request (or message) object by the guard, if any. */
export function boundAuthContext(carrier: object): AuthContext | undefined {
  return byCarrier.get(carrier);
}

/** The context the guard bound to an execution's request (HTTP only, for now). */
export function authContextOfExecution(context: ExecutionContext): AuthContext | undefined {
  return context.getType() === 'http'
    ? byCarrier.get(context.switchToHttp().getRequest<object>())
    : undefined;
}
