import type { AuthInvocation } from '../context/auth-invocation.interface.js';

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * The invocation of a GraphQL resolver: the field's arguments, as `args` (what `fromArgs` reads)
 * and as the body (what `fromBody` and policies read). No params or query.
 */
export class GraphqlInvocation implements AuthInvocation {
  readonly transport = 'graphql';
  readonly params = EMPTY;
  readonly query = EMPTY;
  readonly args: Readonly<Record<string, unknown>>;

  constructor(
    readonly handler: string,
    args: unknown,
  ) {
    this.args =
      typeof args === 'object' && args !== null ? (args as Record<string, unknown>) : EMPTY;
  }

  get body(): unknown {
    return this.args;
  }

  toJSON(): AuthInvocation {
    const { transport, handler, params, query, body, args } = this;
    return { transport, handler, params, query, body, args };
  }
}
