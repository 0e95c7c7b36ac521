import { setAuthMetadata } from './auth-metadata.decorator.js';

/** Metadata key of `@AcceptSnapshot()`. */
export const ACCEPT_SNAPSHOT_METADATA = 'platform-auth:accept-snapshot';

/**
 * Lets an HTTP route (or every route of a controller) accept an auth-context snapshot in the
 * `x-platform-auth-snapshot` header instead of a bearer token. The nearest declaration wins:
 * `@AcceptSnapshot(false)` on a method opts it out of a class-level (or module-wide,
 * `snapshots.acceptOnHttp`) acceptance. Sending both a bearer token and a snapshot is a 400.
 * Message handlers (`@MessagePattern`, `@EventPattern`) always take snapshots: they have no
 * bearer token.
 *
 * @example
 * ```ts
 * @Get('orders')
 * @AcceptSnapshot()
 * @RequireScope('orders:read')
 * list(@CurrentAuth() auth: AuthContext) { … }
 * ```
 * @throws TypeError when the argument is not a boolean.
 */
export function AcceptSnapshot(accept = true): ClassDecorator & MethodDecorator {
  if (typeof accept !== 'boolean') throw new TypeError('@AcceptSnapshot() takes a boolean.');
  return setAuthMetadata(ACCEPT_SNAPSHOT_METADATA, accept);
}
