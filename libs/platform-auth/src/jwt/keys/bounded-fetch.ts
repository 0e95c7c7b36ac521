import { RemoteFetchError } from '../../errors/remote-fetch.error.js';

export { RemoteFetchError, type RemoteFetchFailure } from '../../errors/remote-fetch.error.js';

/** Limits applied to every outbound fetch of the JWT provider. */
export interface FetchLimits {
  /** Abort after this many milliseconds. */
  readonly timeoutMs: number;
  /** Refuse bodies larger than this many bytes. */
  readonly maxBytes: number;
}

/**
 * Wraps `fetch` so that requests time out, redirects are refused (never followed), and the body
 * is read up to a byte limit. Non-2xx responses are returned as they are (openid-client reports
 * them itself); use {@link fetchJson} for a checked JSON read.
 */
export function createBoundedFetch(base: typeof fetch, limits: FetchLimits): typeof fetch {
  return async (input, init) => {
    const timeout = AbortSignal.timeout(limits.timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await base(input, { ...init, redirect: 'manual', signal });
    } catch (cause) {
      throw timeout.aborted
        ? new RemoteFetchError('TIMEOUT', `no response within ${limits.timeoutMs} ms`, { cause })
        : new RemoteFetchError('NETWORK', 'the request failed', { cause });
    }
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      throw new RemoteFetchError('REDIRECT_REFUSED', `redirect (${response.status}) refused`);
    }
    const body = await readLimited(response, limits, timeout);
    return new Response(body, { status: response.status, headers: response.headers });
  };
}

/**
 * Fetches a JSON object with {@link createBoundedFetch}'s limits.
 * @throws RemoteFetchError for any failure (status, size, timeout, malformed JSON).
 */
export async function fetchJson(
  boundedFetch: typeof fetch,
  url: URL,
): Promise<Record<string, unknown>> {
  const response = await boundedFetch(url, { headers: { accept: 'application/json' } });
  if (response.status !== 200) {
    throw new RemoteFetchError('HTTP_STATUS', `unexpected status ${response.status}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(await response.text());
  } catch (cause) {
    throw new RemoteFetchError('MALFORMED', 'the response is not JSON', { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RemoteFetchError('MALFORMED', 'the response is not a JSON object');
  }
  return value as Record<string, unknown>;
}

async function readLimited(
  response: Response,
  limits: FetchLimits,
  timeout: AbortSignal,
): Promise<Uint8Array | null> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > limits.maxBytes) {
    await response.body?.cancel();
    throw new RemoteFetchError('TOO_LARGE', `body over ${limits.maxBytes} bytes`);
  }
  if (!response.body) return null;
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limits.maxBytes) {
        await reader.cancel();
        throw new RemoteFetchError('TOO_LARGE', `body over ${limits.maxBytes} bytes`);
      }
      chunks.push(value);
    }
  } catch (cause) {
    if (cause instanceof RemoteFetchError) throw cause;
    throw timeout.aborted
      ? new RemoteFetchError('TIMEOUT', `no complete body within ${limits.timeoutMs} ms`, { cause })
      : new RemoteFetchError('NETWORK', 'the body could not be read', { cause });
  }
  return Buffer.concat(chunks);
}
