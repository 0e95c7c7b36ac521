import { type ExecutionContext, Injectable } from '@nestjs/common';
import type { AuthContext } from '../../context/auth-context.interface.js';
import { bindAuthContext } from '../../context/auth-context.storage.js';
import { Credentials } from '../../credentials/credentials.js';
import { AuthorizationDecision } from '../../decisions/authorization-decision.js';
import { toRpcRefusal } from '../../messages/transport-refusals.js';
import type { RoutePlan } from '../../requirements/route-plan.js';
import { openAuthSnapshotEnvelope } from '../../snapshots/auth-snapshot.envelope.js';
import {
  messageSnapshotBinding,
  type MessageSnapshotKind,
} from '../../snapshots/snapshot-binding.js';
import { AuthTransport, type CredentialsRead } from '../auth-transport.js';
import { MessageInvocation } from '../message-invocation.js';

// Read as strings so platform-auth needs no value import from @nestjs/microservices
// (PATTERN_METADATA, PATTERN_HANDLER_METADATA and PatternHandler in its constants and enums).
export const MESSAGE_PATTERN_METADATA = 'microservices:pattern';
export const PATTERN_HANDLER_METADATA = 'microservices:handler_type';
const PATTERN_HANDLER_KINDS: ReadonlyMap<unknown, MessageSnapshotKind> = new Map([
  [1, 'request'], // PatternHandler.MESSAGE: @MessagePattern
  [2, 'event'], // PatternHandler.EVENT: @EventPattern
]);

const MISSING = AuthorizationDecision.challenge('CREDENTIALS_MISSING');
const MALFORMED = AuthorizationDecision.challenge('CREDENTIALS_MALFORMED');
const UNBINDABLE = AuthorizationDecision.challenge('SNAPSHOT_INVALID');
const UNSUPPORTED = AuthorizationDecision.error('UNSUPPORTED_CONTEXT');

/**
 * `@nestjs/microservices` messages and events (any transport): the caller comes as a snapshot
 * in an envelope (`withAuthSnapshot`), bound to the handler's kind (request or event), the
 * pattern and the payload's digest; a broker may deliver the same message twice, so the same
 * snapshot for the same message is accepted again. The handler receives the inner payload.
 * Refusals are `RpcException`s carrying `AuthRefusalError`.
 */
@Injectable()
export class RpcAuthTransport extends AuthTransport {
  readonly type = 'rpc';

  read(context: ExecutionContext, plan: RoutePlan): CredentialsRead | AuthorizationDecision {
    const envelope = openAuthSnapshotEnvelope(context.getArgs<unknown[]>()[0]);
    if (envelope === undefined) return MISSING;
    if (envelope === null) return MALFORMED;
    if (contextObjectOf(context) === undefined) return UNSUPPORTED;
    const pattern = messagePatternOf(context);
    const kind = PATTERN_HANDLER_KINDS.get(
      Reflect.getMetadata(PATTERN_HANDLER_METADATA, context.getHandler()),
    );
    if (pattern === undefined || kind === undefined) return UNBINDABLE;
    return {
      credentials: new Credentials('snapshot', envelope.snapshot, 'message'),
      snapshotUse: { binding: messageSnapshotBinding(pattern, envelope.data, kind) },
      invocation: new MessageInvocation('rpc', plan.route, envelope.data),
    };
  }

  /** Binds the caller to the message's context object and hands the handler the inner payload. */
  bind(context: ExecutionContext, caller: AuthContext): void {
    bindAuthContext(contextObjectOf(context)!, caller);
    this.admit(context);
  }

  /** A public handler gets the inner payload of an envelope too (its snapshot is not read). */
  override admit(context: ExecutionContext): void {
    const args = context.getArgs<unknown[]>();
    const envelope = openAuthSnapshotEnvelope(args[0]);
    if (envelope) args[0] = envelope.data;
  }

  refuse(_context: ExecutionContext, decision: AuthorizationDecision): never {
    throw toRpcRefusal(decision);
  }
}

/** The message's context object (`TcpContext`, `RedisContext`, …: one per message). */
function contextObjectOf(context: ExecutionContext): object | undefined {
  const carrier: unknown = context.switchToRpc().getContext();
  return typeof carrier === 'object' && carrier !== null ? carrier : undefined;
}

/**
 * The pattern the message was sent with: the handler's own when it has one; with several, the
 * one the transport context names (`getPattern()`, `getChannel()`, `getSubject()`,
 * `getTopic()`), if it is one of them.
 */
function messagePatternOf(context: ExecutionContext): unknown {
  const patterns: unknown = Reflect.getMetadata(MESSAGE_PATTERN_METADATA, context.getHandler());
  if (!Array.isArray(patterns)) return patterns;
  if (patterns.length === 1) return patterns[0];
  const rpc = context.switchToRpc().getContext<Record<string, unknown>>();
  for (const getter of ['getPattern', 'getChannel', 'getSubject', 'getTopic']) {
    const read = rpc?.[getter];
    const received: unknown = typeof read === 'function' ? read.call(rpc) : undefined;
    const match = patterns.find(
      (pattern) => pattern === received || JSON.stringify(pattern) === received,
    );
    if (match !== undefined) return match;
  }
  return undefined;
}
