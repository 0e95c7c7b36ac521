import type { AuthInvocation } from '../../context/auth-invocation.interface.js';

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

/** What an HTTP invocation reads of the framework's request (Express and Fastify alike). */
export interface HttpRequestParts {
  readonly params?: Record<string, unknown>;
  readonly query?: Record<string, unknown>;
  readonly body?: unknown;
}

/**
 * The invocation of an HTTP request. Parts are read only when a check asks (Express parses
 * `query` on every access); getters on a class keep the per-request object cheap. The request
 * stays private, so serialising the invocation (e.g. as a policy engine's input) never carries
 * headers or credentials.
 */
export class HttpInvocation implements AuthInvocation {
  readonly transport = 'http';
  readonly #request: HttpRequestParts;

  constructor(
    readonly handler: string,
    request: HttpRequestParts,
  ) {
    this.#request = request;
  }

  get params(): Readonly<Record<string, unknown>> {
    return this.#request.params ?? EMPTY;
  }

  get query(): Readonly<Record<string, unknown>> {
    return this.#request.query ?? EMPTY;
  }

  get body(): unknown {
    return this.#request.body;
  }

  toJSON(): AuthInvocation {
    const { transport, handler, params, query, body } = this;
    return { transport, handler, params, query, body };
  }
}
