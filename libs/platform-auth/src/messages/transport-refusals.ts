import type { AuthorizationDecision } from '../decisions/authorization-decision.js';
import { AuthorizationFailedError } from '../errors/authorization-failed.error.js';
import { toAuthRefusalError } from './auth-refusal.js';
import { optionalImport } from './optional-import.js';

type ExceptionClass = new (error: object) => Error;

// `RpcException` and `WsException` come from optional peers that an HTTP-only app does not
// install. They are loaded once at boot (`loadTransportRefusals`, awaited by
// `AuthRouteRegistry` before the app serves anything) instead of with a top-level await, which
// would make the package impossible to load with require(esm) from a CommonJS app.
let rpcException: ExceptionClass | undefined;
let wsException: ExceptionClass | undefined;

/**
 * Loads `RpcException` and `WsException` through their packages' public entry points, when
 * installed. Without the package there is no such context to refuse.
 * @throws the import error of an installed package that fails to load (boot fails)
 */
export async function loadTransportRefusals(): Promise<void> {
  rpcException ??= (
    await optionalImport<typeof import('@nestjs/microservices')>('@nestjs/microservices')
  )?.RpcException;
  wsException ??= (await optionalImport<typeof import('@nestjs/websockets')>('@nestjs/websockets'))
    ?.WsException;
}

/**
 * The `RpcException` of a refused `@MessagePattern`/`@EventPattern` handler. Should the class
 * not be loaded, the refusal is still thrown, as `AuthorizationFailedError`: never skipped.
 */
export function toRpcRefusal(decision: AuthorizationDecision): Error {
  return rpcException === undefined
    ? new AuthorizationFailedError(decision)
    : new rpcException(toAuthRefusalError(decision));
}

/** The `WsException` of a refused gateway message (see {@link toRpcRefusal} for the fallback). */
export function toWsRefusal(decision: AuthorizationDecision): Error {
  return wsException === undefined
    ? new AuthorizationFailedError(decision)
    : new wsException(toAuthRefusalError(decision));
}
