import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { ReplayStoreUnavailableError } from '../errors/replay-store-unavailable.error.js';
import type {
  ReplayStore,
  SnapshotUse,
  SnapshotUseVerdict,
} from '../snapshots/replay-store.port.js';

/** Options of {@link RedisReplayStore}. */
export interface RedisReplayStoreOptions {
  /**
   * A ready ioredis client (`Redis`, a Sentinel-backed `Redis`, or `Cluster`), yours: the store
   * never closes it. Redis 7.0 or later (`SET … NX GET`).
   */
  readonly client: Redis | Cluster;
  /** Prefix of every key (no `{` or `}`). @default 'platform-auth:snapshot:' */
  readonly keyPrefix?: string;
  /**
   * Deadline of the one command per use, then `ReplayStoreUnavailableError` (the snapshot is
   * refused, 503). Keep it below the verifier's `replay.timeoutMs` (1000 ms by default).
   * @default 500
   */
  readonly commandTimeoutMs?: number;
  /** Time source (epoch ms), for an entry whose expiry is already past. @default Date.now */
  readonly now?: () => number;
}

/**
 * {@link ReplayStore} on Redis, so single use holds across every replica that shares it. One
 * atomic command per use: `SET <key> <sha256(binding)> NX PXAT <expiresAt> GET` stores the first
 * use until the snapshot's expiry (plus the clock tolerance) and returns what an earlier use
 * stored: nothing (`first`), the same binding (`redelivery`) or another (`replay`). Keys are
 * `<prefix><sha256(issuer, id)>`: fixed length, nothing the caller sent appears in them.
 *
 * Fail closed: a command that fails or does not answer within `commandTimeoutMs` throws
 * `ReplayStoreUnavailableError`, and the verifier refuses the snapshot with
 * `ERROR(DEPENDENCY_UNAVAILABLE)`. Outage policy: no fallback to memory (a replica that fell
 * back would accept a snapshot another one already saw); when Redis is back, the next use works
 * (ioredis reconnects by itself).
 *
 * @example
 * AuthSnapshotModule.forRoot({ ..., replay: { store: new RedisReplayStore({ client: redis }) } })
 */
export class RedisReplayStore implements ReplayStore {
  readonly #client: Redis | Cluster;
  readonly #prefix: string;
  readonly #timeoutMs: number;
  readonly #now: () => number;

  constructor(options: RedisReplayStoreOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError('RedisReplayStore: options must be an object.');
    }
    const client = options.client as { set?: unknown } | undefined;
    if (typeof client?.set !== 'function') {
      throw new TypeError('RedisReplayStore: option "client" must be an ioredis Redis or Cluster.');
    }
    const prefix = options.keyPrefix ?? 'platform-auth:snapshot:';
    if (typeof prefix !== 'string' || /[{}]/.test(prefix) || prefix.length > 100) {
      throw new TypeError(
        'RedisReplayStore: option "keyPrefix" must be a string of at most 100 characters without { or }.',
      );
    }
    const timeoutMs = options.commandTimeoutMs ?? 500;
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1) {
      throw new TypeError(
        'RedisReplayStore: option "commandTimeoutMs" must be a positive integer.',
      );
    }
    this.#client = options.client;
    this.#prefix = prefix;
    this.#timeoutMs = timeoutMs;
    this.#now = options.now ?? Date.now;
  }

  async record(use: SnapshotUse): Promise<SnapshotUseVerdict> {
    const key = `${this.#prefix}${sha256(`${use.issuer.length}:${use.issuer}${use.id}`)}`;
    const binding = sha256(use.binding);
    // Past already (it cannot be, after the verifier's checks): kept a second, still atomic.
    const expiresAt = Math.max(Math.ceil(use.expiresAt), this.#now() + 1000);
    const previous = await this.command(() =>
      this.#client.set(key, binding, 'PXAT', expiresAt, 'NX', 'GET'),
    );
    if (previous === null) return 'first';
    return previous === binding ? 'redelivery' : 'replay';
  }

  /** Never shows the client (its options hold the password). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `RedisReplayStore { keyPrefix: ${JSON.stringify(this.#prefix)} }`;
  }

  toJSON(): object {
    return { kind: 'redis', keyPrefix: this.#prefix };
  }

  private async command<T>(run: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const command = run().catch((error: unknown) => {
      throw unavailable(error);
    });
    command.catch(() => undefined);
    try {
      return await Promise.race([
        command,
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(
            () => reject(new ReplayStoreUnavailableError('timeout', this.#timeoutMs)),
            this.#timeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64url');
}

/** An ioredis error as availability, without its message or command (they hold the key). */
function unavailable(error: unknown): ReplayStoreUnavailableError {
  const { name, code, message } = (error ?? {}) as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
  };
  if (typeof code === 'string' && /^E[A-Z0-9_]{1,40}$/.test(code)) {
    return new ReplayStoreUnavailableError('connection', undefined, code);
  }
  if (name === 'ReplyError' && typeof message === 'string') {
    return new ReplayStoreUnavailableError(
      'reply',
      undefined,
      /^[A-Z][A-Z_]{1,30}\b/.exec(message)?.[0],
    );
  }
  return new ReplayStoreUnavailableError('connection');
}
