import { AsyncLocalStorage } from 'node:async_hooks';
import type { ExecutionContext } from '@nestjs/common';
import type { AuthContext } from './auth-context.interface.js';

/**
 * One invocation's slot for its caller. Entered ahead of Nest's pipeline (an HTTP middleware, a
 * wrapper around each microservice handler, the WebSocket adapter), filled by the guard once it
 * has authenticated the caller: public routes pay for entering the scope and nothing else, and
 * no rxjs pipeline is built per request (an app-wide interceptor would make Nest build one for
 * every route).
 */
class AuthScope {
  context?: AuthContext;

  constructor(context?: AuthContext) {
    if (context !== undefined) this.context = context;
  }
}

const storage = new AsyncLocalStorage<AuthScope>();
const byCarrier = new WeakMap<object, AuthContext>();

/**
 * Runs `fn` in a fresh, empty auth scope: what the guard authenticates in its call tree becomes
 * the current context there, and nowhere else.
 */
export function runInAuthScope<T>(fn: () => T): T {
  return storage.run(new AuthScope(), fn);
}

/**
 * Makes `context` the current one in the scope this code runs in (the guard, once the caller is
 * authenticated). Without a scope (no middleware ran), nothing is set and readers get
 * `undefined`, never someone else's context.
 */
export function fillAuthScope(context: AuthContext): void {
  const scope = storage.getStore();
  if (scope !== undefined) scope.context = context;
}

/**
 * Runs `fn` with `context` readable through {@link getCurrentAuthContext} in its call tree
 * (tests, background jobs acting for a caller).
 */
export function runWithAuthContext<T>(context: AuthContext, fn: () => T): T {
  return storage.run(new AuthScope(context), fn);
}

/**
 * The {@link AuthContext} of the request whose call tree this code runs in, or `undefined`
 * (public route, background job, code outside a request, code that runs before the guard).
 */
export function getCurrentAuthContext(): AuthContext | undefined {
  return storage.getStore()?.context;
}

/** Binds a verified context to the request (or message) object it was established for. */
export function bindAuthContext(carrier: object, context: AuthContext): void {
  byCarrier.set(carrier, context);
}

/** The context bound to a request (or message) object by the guard, if any. */
export function boundAuthContext(carrier: object): AuthContext | undefined {
  return byCarrier.get(carrier);
}

/**
 * The object a verified context is bound to for one execution: the HTTP request, the RPC
 * message's context object (`TcpContext`, `RedisContext`, …: one per message), the WebSocket
 * client, or a GraphQL operation's request ({@link graphqlCarrierOf}). `undefined` for anything
 * else.
 */
export function authCarrierOf(context: ExecutionContext): object | undefined {
  let carrier: unknown;
  switch (context.getType<string>()) {
    case 'http':
      carrier = context.switchToHttp().getRequest<unknown>();
      break;
    case 'rpc':
      carrier = context.switchToRpc().getContext<unknown>();
      break;
    case 'ws':
      carrier = context.switchToWs().getClient<unknown>();
      break;
    case 'graphql':
      carrier = graphqlCarrierOf(context.getArgs<unknown[]>()[2]);
      break;
  }
  return typeof carrier === 'object' && carrier !== null ? carrier : undefined;
}

/**
 * Where a GraphQL operation's caller is bound: the request the GraphQL context names (`req`:
 * the HTTP request, or with Apollo's graphql-ws the connection), else the context object itself
 * (a Mercurius subscription operation). Not the context alone: an app's static `context` object
 * may be shared by every request. `undefined` when the context's `req` is not the request being
 * served (such a shared object with Mercurius, whose Nest driver keeps the first `req`).
 */
export function graphqlCarrierOf(gqlContext: unknown): object | undefined {
  if (typeof gqlContext !== 'object' || gqlContext === null) return undefined;
  const { req: request, reply } = gqlContext as { req?: unknown; reply?: { request?: unknown } };
  // Mercurius writes each request's `reply` onto the context object; a `req` that is not the
  // reply's request is another request's (a context object shared across requests): none.
  if (typeof request !== 'object' || request === null) return gqlContext;
  if (typeof reply === 'object' && reply !== null && reply.request !== request) return undefined;
  return request;
}

/** The context the guard bound to an execution's request, message or client. */
export function authContextOfExecution(context: ExecutionContext): AuthContext | undefined {
  const carrier = authCarrierOf(context);
  return carrier === undefined ? undefined : byCarrier.get(carrier);
}

const byConnection = new WeakMap<object, AuthContext>();

/** Binds the context established at a WebSocket handshake to the client (connection). */
export function bindConnectionAuthContext(client: object, context: AuthContext): void {
  byConnection.set(client, context);
}

/** The context established at a client's handshake, if any. */
export function connectionAuthContext(client: object): AuthContext | undefined {
  return byConnection.get(client);
}
