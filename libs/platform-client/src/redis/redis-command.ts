import { CacheUnavailableError } from '../errors/cache-unavailable.error.js';

/**
 * Runs one Redis command with a deadline. The boundary where ioredis errors become
 * `CacheUnavailableError`: only a server error word or a system error code is kept, never the error
 * itself (an ioredis `ReplyError` carries the command and its arguments, which hold tokens).
 * @param onLate called when the deadline passed first, once the command settles anyway (to undo
 *   what a late success did, e.g. release a lease nobody will use)
 */
export async function redisCommand<T>(
  run: () => Promise<T>,
  timeoutMs: number,
  onLate?: (result: T) => void,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const command = run().then(
    (result) => {
      if (timedOut) onLate?.(result);
      return result;
    },
    (error: unknown) => {
      throw toCacheUnavailable(error);
    },
  );
  // A command that fails after the deadline has nobody to tell.
  command.catch(() => undefined);
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(new CacheUnavailableError('timeout', undefined, timeoutMs));
    }, timeoutMs);
  });
  try {
    return await Promise.race([command, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** What an ioredis (or system) error says about availability, without its message or command. */
export function toCacheUnavailable(error: unknown): CacheUnavailableError {
  if (error instanceof CacheUnavailableError) return error;
  const { name, code, message } = (error ?? {}) as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
  };
  if (typeof code === 'string' && /^E[A-Z0-9_]{1,40}$/.test(code)) {
    return new CacheUnavailableError('connection', code);
  }
  if (name === 'ReplyError' && typeof message === 'string') {
    const word = /^[A-Z][A-Z_]{1,30}\b/.exec(message)?.[0];
    return new CacheUnavailableError('reply', word);
  }
  if (typeof message === 'string' && /connection is closed/i.test(message)) {
    return new CacheUnavailableError('connection', 'CONNECTION_CLOSED');
  }
  const label = typeof name === 'string' && /^[A-Za-z]{1,60}$/.test(name) ? name : undefined;
  return new CacheUnavailableError('connection', label);
}
