import { isB64token } from '../credentials/b64token.js';
import { AUTH_SNAPSHOT_HEADER } from './auth-snapshot.constants.js';

/**
 * A message payload with an auth snapshot attached: `{ "x-platform-auth-snapshot": "<jws>",
 * "data": <payload> }`. The guard verifies the snapshot and hands the handler `data` alone, so
 * `@Payload()` sees what the sender passed to `withAuthSnapshot()`.
 */
export interface AuthSnapshotEnvelope<T = unknown> {
  readonly [AUTH_SNAPSHOT_HEADER]: string;
  readonly data: T;
}

/** Wraps a payload with a snapshot (see `AuthSnapshotMessenger` to sign the current context). */
export function withAuthSnapshot<T>(data: T, snapshot: string): AuthSnapshotEnvelope<T> {
  if (typeof snapshot !== 'string' || snapshot.length === 0) {
    throw new TypeError('withAuthSnapshot(): snapshot must be a non-empty string.');
  }
  return { [AUTH_SNAPSHOT_HEADER]: snapshot, data };
}

/**
 * Reads an envelope: `undefined` when the value is not one (no snapshot field); `null` when it
 * carries the field but is malformed (extra members, a snapshot that is not a string of RFC 6750
 * `b64token` syntax, as in the HTTP header).
 */
export function openAuthSnapshotEnvelope(
  value: unknown,
): { snapshot: string; data: unknown } | null | undefined {
  if (typeof value !== 'object' || value === null || !Object.hasOwn(value, AUTH_SNAPSHOT_HEADER)) {
    return undefined;
  }
  const record = value as Record<string, unknown>;
  const snapshot = record[AUTH_SNAPSHOT_HEADER];
  const keys = Object.keys(record);
  if (
    typeof snapshot !== 'string' ||
    !isB64token(snapshot) ||
    keys.some((k) => k !== AUTH_SNAPSHOT_HEADER && k !== 'data')
  ) {
    return null;
  }
  return { snapshot, data: record.data };
}
