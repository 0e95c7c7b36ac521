import { InvalidResponseBodyError } from './errors/invalid-response-body.error.js';

/** Response headers with lower-cased names. */
export type PlatformResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

/**
 * A buffered response from {@link PlatformClient}. The body was read in full (within the call's
 * deadline and `maxResponseBytes`), so `text()` and `json()` are synchronous and repeatable.
 */
export class PlatformResponse {
  constructor(
    /** The HTTP status. */
    readonly status: number,
    /** Response headers, lower-cased names. */
    readonly headers: PlatformResponseHeaders,
    /** The raw body. */
    readonly body: Buffer,
  ) {}

  /** `true` for 2xx. */
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  /** The first value of header `name` (case-insensitive). */
  header(name: string): string | undefined {
    const value = this.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  }

  /** The body as UTF-8 text. */
  text(): string {
    return this.body.toString('utf8');
  }

  /**
   * The body parsed as JSON (`undefined` for an empty body). The type is the caller's claim:
   * nothing is validated.
   * @throws InvalidResponseBodyError (`INVALID_RESPONSE_BODY`) when it is not JSON.
   */
  json<T = unknown>(): T {
    if (this.body.length === 0) return undefined as T;
    try {
      return JSON.parse(this.text()) as T;
    } catch {
      throw new InvalidResponseBodyError(this.status);
    }
  }
}
