import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { lock } from 'proper-lockfile';
import { CacheLeaseLostError } from '../errors/cache-lease-lost.error.js';
import { CacheLockTimeoutError } from '../errors/cache-lock-timeout.error.js';
import { InsecureCachePathError } from '../errors/insecure-cache-path.error.js';
import { KeyMutex } from './key-mutex.js';
import { decodeEntry, encodeEntry, MAX_SERIALISED_ENTRY_BYTES } from './token-cache-entry.codec.js';
import type { TokenCacheEntry } from './token-cache-entry.js';
import {
  TokenCache,
  type TokenCacheLease,
  type TokenCacheLockOptions,
  unfencedLease,
} from './token-cache.port.js';

/** Options of {@link FileTokenCache}. */
export interface FileTokenCacheOptions {
  /** Directory of the cache files; created with mode 0700 when missing. */
  readonly directory: string;
  /**
   * A lock whose holder stopped refreshing it for this long is taken over (the holder died).
   * proper-lockfile enforces a minimum of 2000.
   * @default 10_000
   */
  readonly lockStaleMs?: number;
  /**
   * How long to wait for a lock held by a live process before failing with `CACHE_LOCK_TIMEOUT`.
   * @default 30_000
   */
  readonly lockTimeoutMs?: number;
  /** @default 50 */
  readonly lockRetryIntervalMs?: number;
  /** Receives a warning when a held lock was compromised (taken over as stale). */
  readonly logger?: { warn(message: string): void };
}

const KEY_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;
/** `.<key>.<pid>.<12 hex>.tmp`: the temp files {@link FileTokenCache.set} writes. */
const TEMP_FILE = /^\.([A-Za-z0-9_-][A-Za-z0-9._-]{0,199})\.\d+\.[0-9a-f]{12}\.tmp$/;
const PRIVATE_BITS = 0o077;
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * A token cache shared by the processes of one user on one host (CLIs, workers): one JSON file
 * per key in a 0700 directory.
 *
 * - Writes are atomic: a 0600 temp file in the same directory (created with that mode, never
 *   chmod-ed afterwards), `fsync`, `rename`, `fsync` of the directory.
 * - Symbolic links are refused (`INSECURE_CACHE_PATH`) for the directory and the files, and
 *   files are opened with `O_NOFOLLOW`; so are directories and files owned by another user or
 *   open to group/others. A file that is merely unreadable, truncated, garbage, of another schema
 *   or key, or too large is a miss and is replaced on the next write.
 * - `withLock` holds a `proper-lockfile` lock (`<key>.lock`) that is refreshed while held and
 *   taken over when its holder stops refreshing it for `lockStaleMs` (the holder was killed).
 *   A holder whose lock was taken over (it stalled that long) learns it through the lease: its
 *   signal aborts and its writes through the lease fail with `CACHE_LEASE_LOST`.
 * - Temp files hold full token sets, and a writer killed between creating and renaming one
 *   leaves it behind: whoever takes a key's lock removes that key's temp files (only a lock
 *   holder writes them) and any other key's older than `lockStaleMs`.
 */
export class FileTokenCache extends TokenCache {
  readonly directory: string;
  private readonly lockStaleMs: number;
  private readonly lockTimeoutMs: number;
  private readonly lockRetryIntervalMs: number;
  private readonly mutex = new KeyMutex();

  constructor(private readonly options: FileTokenCacheOptions) {
    super();
    if (typeof options.directory !== 'string' || options.directory === '') {
      throw new TypeError('FileTokenCache: directory must be a non-empty string.');
    }
    this.directory = options.directory;
    this.lockStaleMs = Math.max(options.lockStaleMs ?? 10_000, 2000);
    this.lockTimeoutMs = options.lockTimeoutMs ?? 30_000;
    this.lockRetryIntervalMs = options.lockRetryIntervalMs ?? 50;
  }

  async get(key: string): Promise<TokenCacheEntry | undefined> {
    const file = await this.fileFor(key);
    let handle;
    try {
      handle = await open(file, constants.O_RDONLY | O_NOFOLLOW);
    } catch (error) {
      if (errno(error) === 'ENOENT') return undefined;
      if (errno(error) === 'ELOOP') throw new InsecureCachePathError(file, 'it is a symbolic link');
      return undefined;
    }
    try {
      const stats = await handle.stat();
      if (!stats.isFile() || !isPrivate(stats) || stats.size > MAX_SERIALISED_ENTRY_BYTES) {
        return undefined;
      }
      const text = await handle.readFile({ encoding: 'utf8' });
      return decodeEntry(key, text);
    } catch {
      return undefined;
    } finally {
      await handle.close();
    }
  }

  async set(key: string, entry: TokenCacheEntry): Promise<void> {
    const file = await this.fileFor(key);
    await this.refuseSymlink(file);
    const temp = join(
      this.directory,
      `.${key}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
    );
    const handle = await open(
      temp,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW,
      0o600,
    );
    try {
      try {
        await handle.writeFile(encodeEntry(key, entry), { encoding: 'utf8' });
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, file);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    await this.syncDirectory();
  }

  async delete(key: string): Promise<void> {
    const file = await this.fileFor(key);
    try {
      await unlink(file);
    } catch (error) {
      if (errno(error) !== 'ENOENT') throw error;
    }
  }

  withLock<T>(
    key: string,
    fn: (lease: TokenCacheLease) => Promise<T>,
    options?: TokenCacheLockOptions,
  ): Promise<T> {
    return this.mutex.run(key, () => this.withFileLock(key, fn, options?.signal), options?.signal);
  }

  /** Never shows cached tokens. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `FileTokenCache { directory: ${JSON.stringify(this.directory)} }`;
  }

  toJSON(): object {
    return { kind: 'file', directory: this.directory };
  }

  private async withFileLock<T>(
    key: string,
    fn: (lease: TokenCacheLease) => Promise<T>,
    signal?: AbortSignal,
  ) {
    const file = await this.fileFor(key);
    let compromised = false;
    const lost = new AbortController();
    let release: () => Promise<void>;
    try {
      release = await lock(file, {
        realpath: false,
        lockfilePath: join(this.directory, `${key}.lock`),
        stale: this.lockStaleMs,
        retries: {
          retries: Math.ceil(this.lockTimeoutMs / this.lockRetryIntervalMs),
          factor: 1,
          minTimeout: this.lockRetryIntervalMs,
          maxTimeout: this.lockRetryIntervalMs,
        },
        onCompromised: () => {
          compromised = true;
          lost.abort(new CacheLeaseLostError());
          this.options.logger?.warn(
            `Token cache lock ${key}.lock was compromised (taken over as stale); ` +
              'this holder writes nothing more under it.',
          );
        },
      });
    } catch (error) {
      if (errno(error) === 'ELOCKED') throw new CacheLockTimeoutError(this.lockTimeoutMs);
      throw error;
    }
    try {
      signal?.throwIfAborted();
      await this.removeStaleTempFiles(key);
      const lease = unfencedLease(
        this,
        key,
        () => (compromised ? new CacheLeaseLostError() : undefined),
        lost.signal,
      );
      return await fn(lease);
    } finally {
      if (!compromised) await release().catch(() => undefined);
    }
  }

  /**
   * Under `key`'s lock: removes `key`'s temp files (their writer died holding the lock, or lost
   * it) and other keys' temp files older than `lockStaleMs` (a live writer renames its file
   * within milliseconds). Regular files owned by this user only; best effort.
   */
  private async removeStaleTempFiles(key: string): Promise<void> {
    const names = await readdir(this.directory).catch(() => [] as string[]);
    const now = Date.now();
    for (const name of names) {
      const owner = TEMP_FILE.exec(name)?.[1];
      if (owner === undefined) continue;
      const path = join(this.directory, name);
      try {
        const stats = await lstat(path);
        if (!stats.isFile() || !isOwned(stats)) continue;
        if (owner === key || now - stats.mtimeMs > this.lockStaleMs) await unlink(path);
      } catch {
        // Gone meanwhile, or not removable: the next lock holder tries again.
      }
    }
  }

  /** The file of `key`, after checking the key and the directory. */
  private async fileFor(key: string): Promise<string> {
    if (!KEY_PATTERN.test(key)) {
      throw new TypeError('FileTokenCache: keys are 1-200 characters of [A-Za-z0-9._-].');
    }
    await this.ensureDirectory();
    return join(this.directory, `${key}.json`);
  }

  private async ensureDirectory(): Promise<void> {
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    const stats = await lstat(this.directory);
    if (stats.isSymbolicLink()) {
      throw new InsecureCachePathError(this.directory, 'it is a symbolic link');
    }
    if (!stats.isDirectory())
      throw new InsecureCachePathError(this.directory, 'it is not a directory');
    if (!isOwned(stats)) throw new InsecureCachePathError(this.directory, 'another user owns it');
    if ((stats.mode & PRIVATE_BITS) !== 0) {
      throw new InsecureCachePathError(
        this.directory,
        `group/others have access (mode ${(stats.mode & 0o777).toString(8)})`,
      );
    }
  }

  private async refuseSymlink(file: string): Promise<void> {
    try {
      if ((await lstat(file)).isSymbolicLink()) {
        throw new InsecureCachePathError(file, 'it is a symbolic link');
      }
    } catch (error) {
      if (errno(error) !== 'ENOENT') throw error;
    }
  }

  private async syncDirectory(): Promise<void> {
    const handle = await open(this.directory, constants.O_RDONLY).catch(() => undefined);
    if (!handle) return;
    try {
      await handle.sync();
    } catch {
      // Some file systems refuse fsync on a directory; the rename is still atomic.
    } finally {
      await handle.close();
    }
  }
}

function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function isOwned(stats: Stats): boolean {
  return typeof process.getuid !== 'function' || stats.uid === process.getuid();
}

function isPrivate(stats: Stats): boolean {
  return isOwned(stats) && (stats.mode & PRIVATE_BITS) === 0;
}
