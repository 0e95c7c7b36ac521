import type { CliSession } from '@nest-platform/client/login';

/** Wrong arguments of a command (not a variable): exit 2, with the message. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

/** The API could not be reached at all (no HTTP answer): exit 1. */
export class ApiUnreachable extends Error {
  override readonly name = 'ApiUnreachable';

  constructor(
    readonly origin: string,
    readonly reason: string,
  ) {
    super(`Could not reach the API at ${origin} (${reason}).`);
  }
}

/** What `call` was asked to send. */
export interface ApiCallInput {
  readonly method: string;
  readonly path: string;
  /** The request body, as given (`--data`). */
  readonly data?: string;
  /** `Name: value` lines (`--header`, repeatable). */
  readonly headers?: readonly string[];
}

/** A validated request to the API, without the `Authorization` header the session adds. */
export interface ApiRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** The API's answer, as `call` prints it. */
export interface ApiAnswer {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly body: string;
}

/** What {@link callWithSession} needs of the session. */
export type ApiSession = Pick<CliSession, 'accessToken' | 'rejectAccessToken'>;

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const TOKEN_CHARS = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Headers the CLI owns: the session's token, and what fetch computes itself. */
const RESERVED_HEADERS = new Set(['authorization', 'host', 'content-length', 'cookie']);
/** Answer headers worth showing: the RFC 6750 challenge and where a redirect points. */
const SHOWN_HEADERS = ['www-authenticate', 'location'] as const;
/** The longest `call` waits for the API. */
export const API_CALL_TIMEOUT_MS = 30_000;

/**
 * Validates `call`'s arguments into a request under `apiUrl`. The path is resolved below the
 * API's base URL and must stay on its origin: the session's token is never sent elsewhere.
 * @throws CliUsageError naming the argument to fix
 */
export function apiRequest(apiUrl: string, input: ApiCallInput): ApiRequest {
  const method = input.method.toUpperCase();
  if (!METHODS.has(method)) {
    throw new CliUsageError(`METHOD must be one of ${[...METHODS].join(', ')}.`);
  }
  if (!input.path.startsWith('/') || input.path.startsWith('//') || /\s/.test(input.path)) {
    throw new CliUsageError(
      'PATH must be a path on the API starting with a single "/", such as /documents.',
    );
  }
  const base = new URL(apiUrl);
  const url = new URL(`${base.pathname.replace(/\/+$/, '')}${input.path}`, base);
  if (url.origin !== base.origin) {
    throw new CliUsageError('PATH must stay on the API (the session token goes nowhere else).');
  }
  const headers: Record<string, string> = {};
  for (const line of input.headers ?? []) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    if (colon <= 0 || !TOKEN_CHARS.test(name)) {
      throw new CliUsageError('--header takes "Name: value", such as "accept: application/json".');
    }
    if (RESERVED_HEADERS.has(name)) {
      throw new CliUsageError(
        `--header cannot set ${name}: the CLI sends the session's access token and computes the rest.`,
      );
    }
    headers[name] = line.slice(colon + 1).trim();
  }
  if (input.data !== undefined) {
    if (method === 'GET' || method === 'HEAD') {
      throw new CliUsageError(`--data cannot be sent with ${method}.`);
    }
    headers['content-type'] ??= 'application/json';
  }
  return { method, url, headers, ...(input.data !== undefined ? { body: input.data } : {}) };
}

/**
 * Sends `request` with the session's access token (refreshed first when it expired). When the
 * API answers 401, the token is dropped from the session and the request is sent once more with
 * a refreshed one (a 401 means the guard refused it before any handler ran, so a retry is safe
 * for every method); a second 401 is the answer. Redirects are not followed, so the token only
 * goes to the API's own origin.
 * @throws NotLoggedInError, ReauthRequiredError (from the session), ApiUnreachable
 */
export async function callWithSession(
  session: ApiSession,
  request: ApiRequest,
  options: { fetch?: typeof fetch; signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<{ answer: ApiAnswer; tokens: string[] }> {
  const send = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? API_CALL_TIMEOUT_MS;
  const signal = AbortSignal.any([
    AbortSignal.timeout(timeoutMs),
    ...(options.signal ? [options.signal] : []),
  ]);
  const tokens: string[] = [];
  const attempt = async (): Promise<ApiAnswer> => {
    const token = await session.accessToken({ signal: options.signal });
    tokens.push(token);
    let response: Response;
    try {
      response = await send(request.url, {
        method: request.method,
        headers: { ...request.headers, authorization: `Bearer ${token}` },
        ...(request.body !== undefined ? { body: request.body } : {}),
        redirect: 'manual',
        signal,
      });
    } catch (error) {
      options.signal?.throwIfAborted();
      throw new ApiUnreachable(request.url.origin, failureReason(error, timeoutMs));
    }
    const body = request.method === 'HEAD' ? '' : await response.text();
    return {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      body,
    };
  };
  let answer = await attempt();
  if (answer.status === 401) {
    await session.rejectAccessToken(tokens[0]);
    answer = await attempt();
  }
  return { answer, tokens };
}

/**
 * What `call` prints: the status line and the challenge or redirect headers (for stderr), and
 * the body (for stdout), with any token the request carried replaced by `[access token]`.
 */
export function answerOutput(
  answer: ApiAnswer,
  tokens: readonly string[],
): { status: string[]; body: string } {
  const redact = (text: string) =>
    tokens.reduce((out, token) => (token ? out.replaceAll(token, '[access token]') : out), text);
  const status = [`HTTP ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}`];
  for (const name of SHOWN_HEADERS) {
    const value = answer.headers.get(name);
    if (value !== null) status.push(`${name}: ${redact(value)}`);
  }
  return { status, body: redact(answer.body) };
}

function failureReason(error: unknown, timeoutMs: number): string {
  if ((error as Error | undefined)?.name === 'TimeoutError') {
    return `no answer within ${timeoutMs / 1000} s`;
  }
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string' && /^[A-Z_]+$/.test(cause.code)) return cause.code;
  // fetch's own refusals ("bad port"): short words, never a URL or a header value.
  if (typeof cause?.message === 'string' && /^[a-z ]{1,40}$/.test(cause.message)) {
    return cause.message;
  }
  return 'connection failed';
}
