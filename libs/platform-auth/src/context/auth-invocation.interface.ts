/** The transport an invocation arrived on. */
export type AuthTransport = 'http' | 'rpc' | 'ws' | 'graphql';

/**
 * A provider-neutral view of the call being authorized: what policy evaluators and dynamic
 * references read. Values are as the transport parsed them (untrusted input).
 */
export interface AuthInvocation {
  readonly transport: AuthTransport;
  /** `Controller#method`. */
  readonly handler: string;
  /** Route parameters (HTTP). Empty elsewhere. */
  readonly params: Readonly<Record<string, unknown>>;
  /** Query parameters (HTTP). Empty elsewhere. */
  readonly query: Readonly<Record<string, unknown>>;
  /** Request body (HTTP) or message payload (RPC, WebSocket); the field's arguments (GraphQL). */
  readonly body: unknown;
  /** The field's arguments (GraphQL, what `fromArgs` reads). Absent elsewhere. */
  readonly args?: Readonly<Record<string, unknown>>;
}
