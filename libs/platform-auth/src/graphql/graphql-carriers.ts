import type { AuthContext } from '../context/auth-context.interface.js';
import {
  bindConnectionAuthContext,
  connectionAuthContext,
} from '../context/auth-context.storage.js';

/**
 * Where a subscription's connection keeps the caller authenticated at `connection_init`:
 * - Apollo driver: the graphql-ws `Context` (one per connection), which Nest's default context
 *   hands resolvers as `context.req`;
 * - Mercurius: a holder `onConnect` returns under this key; Mercurius copies it into every
 *   operation's context.
 */
export const MERCURIUS_CONNECTION = Symbol('platform-auth:graphql-connection');

/** The GraphQL context object of a resolver call, whatever the driver and transport. */
export type GraphqlContext = Record<PropertyKey, unknown>;

/** A graphql-ws connection's context (Apollo), recognised by its own fields. */
export function graphqlWsContextOf(context: GraphqlContext): object | undefined {
  const req = context.req;
  return typeof req === 'object' &&
    req !== null &&
    'connectionParams' in req &&
    'extra' in req &&
    'subscriptions' in req
    ? req
    : undefined;
}

/**
 * The connection a subscription operation runs on (`undefined` for an HTTP operation): the
 * graphql-ws context (Apollo), or Mercurius' holder (or the context itself, which Mercurius
 * gives a `_connectionInit` key, when `onConnect` was not wired: nothing is bound to it).
 */
export function connectionOf(context: GraphqlContext): object | undefined {
  const holder = context[MERCURIUS_CONNECTION];
  if (typeof holder === 'object' && holder !== null) return holder;
  if ('_connectionInit' in context) return context;
  return graphqlWsContextOf(context);
}

/** Binds a connection's caller. */
export function bindConnection(connection: object, caller: AuthContext): void {
  bindConnectionAuthContext(connection, caller);
}

/** The caller bound to a connection at `connection_init`, if any. */
export function connectionCaller(connection: object): AuthContext | undefined {
  return connectionAuthContext(connection);
}
