import type { AuthInvocation } from '../context/auth-invocation.interface.js';

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

/** The invocation of an RPC message or a WebSocket message: the payload is the body. */
export class MessageInvocation implements AuthInvocation {
  readonly params = EMPTY;
  readonly query = EMPTY;

  constructor(
    readonly transport: 'rpc' | 'ws',
    readonly handler: string,
    readonly body: unknown,
  ) {}
}
