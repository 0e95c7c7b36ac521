import { PlatformClientError } from '../../errors/platform-client.error.js';

/**
 * No HTTP response: connection refused or reset, DNS, TLS (an unknown CA included), proxy
 * failure. `cause` is the transport's error; `causeCode` its code (e.g. `ECONNREFUSED`,
 * `UNABLE_TO_VERIFY_LEAF_SIGNATURE`) when it has one. Code `NETWORK_ERROR`.
 */
export class PlatformNetworkError extends PlatformClientError<'NETWORK_ERROR'> {
  override readonly name: string = 'PlatformNetworkError';
  readonly causeCode?: string;

  constructor(
    readonly method: string,
    readonly path: string,
    readonly attempts: number,
    options: { cause: unknown },
  ) {
    const causeCode = networkCauseCode(options.cause);
    super(
      'NETWORK_ERROR',
      `${method} ${path} failed without a response after ${attempts} attempt(s)${causeCode ? ` (${causeCode})` : ''}.`,
      options,
    );
    if (causeCode) this.causeCode = causeCode;
  }
}

/** The most specific `code` in an error's cause chain (undici wraps socket errors). */
function networkCauseCode(error: unknown): string | undefined {
  let found: string | undefined;
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') found = code;
    current = (current as { cause?: unknown }).cause;
  }
  return found;
}
