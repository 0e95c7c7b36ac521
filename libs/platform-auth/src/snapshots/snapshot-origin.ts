import type { AuthContext } from '../context/auth-context.interface.js';

/** What a context built from a snapshot remembers of it, for the next hop. */
export interface SnapshotOrigin {
  readonly correlationId?: string;
}

const origins = new WeakMap<AuthContext, SnapshotOrigin>();

/** Records that `context` was built from a verified snapshot. */
export function rememberSnapshotOrigin(context: AuthContext, origin: SnapshotOrigin): void {
  origins.set(context, origin);
}

/** The snapshot a context was built from, if it was. */
export function snapshotOriginOf(context: AuthContext): SnapshotOrigin | undefined {
  return origins.get(context);
}
