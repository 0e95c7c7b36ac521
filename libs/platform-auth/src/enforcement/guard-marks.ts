import type { ExecutionContext } from '@nestjs/common';

// Nest hands every guard of one invocation the same ExecutionContext, so the app-wide guard can
// leave a mark on it that the route-level assertion (which runs after every global guard) reads.
const authorized = new WeakSet<ExecutionContext>();

/** Marks an invocation that `PlatformAuthGuard` let through (public routes included). */
export function markAuthorizedByGuard(context: ExecutionContext): void {
  authorized.add(context);
}

/** Whether `PlatformAuthGuard` ran for this invocation and let it through. */
export function wasAuthorizedByGuard(context: ExecutionContext): boolean {
  return authorized.has(context);
}
