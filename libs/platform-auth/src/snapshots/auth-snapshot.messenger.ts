import { Injectable } from '@nestjs/common';
import { lastValueFrom, type Observable } from 'rxjs';
import type { AuthContext } from '../context/auth-context.interface.js';
import { getCurrentAuthContext } from '../context/auth-context.storage.js';
import { AuthContextUnavailableError } from '../errors/auth-context-unavailable.error.js';
import {
  AuthSnapshotSigner,
  type SnapshotSignOptions,
} from '../ports/auth-snapshot-signer.port.js';
import { type AuthSnapshotEnvelope, withAuthSnapshot } from './auth-snapshot.envelope.js';
import { messageSnapshotBinding, type MessageSnapshotKind } from './snapshot-binding.js';

/** Options of {@link AuthSnapshotMessenger.wrap}. */
export interface AuthSnapshotWrapOptions extends Omit<SnapshotSignOptions, 'binding'> {
  /**
   * The context to propagate: one an authentication produced (the signer refuses any other
   * with `CONTEXT_UNVERIFIED`). @default the current request's (AsyncLocalStorage)
   */
  readonly context?: AuthContext;
  /**
   * What the envelope is sent as: `request` (`client.send`, received by a `@MessagePattern`
   * handler) or `event` (`client.emit`, an `@EventPattern` handler). Bound into the snapshot,
   * so the receiver refuses it as the other kind. `send()` and `emit()` set it.
   * @default 'request'
   */
  readonly kind?: MessageSnapshotKind;
}

/** What the messenger needs of a `ClientProxy` (`@nestjs/microservices`). */
export interface MessageClient {
  send<R>(pattern: unknown, data: unknown): Observable<R>;
  emit<R>(pattern: unknown, data: unknown): Observable<R>;
}

/**
 * Client side of message propagation: signs the current `AuthContext` (or a given one) and
 * attaches the snapshot to an outgoing payload, for any `@nestjs/microservices` transport.
 * Registered by `AuthSnapshotModule`.
 *
 * @example
 * ```ts
 * constructor(@Inject('ORDERS') private readonly orders: ClientProxy,
 *             private readonly messenger: AuthSnapshotMessenger) {}
 * get(id: string) { return this.messenger.send(this.orders, 'orders.get', { id }); }
 * ```
 */
@Injectable()
export class AuthSnapshotMessenger {
  constructor(private readonly signer: AuthSnapshotSigner) {}

  /**
   * The payload wrapped with a fresh snapshot minted for this message: bound to its kind
   * (`options.kind`, a request by default), `pattern` and the payload's JSON
   * (`messageSnapshotBinding`), so the receiver refuses it for any other kind, pattern or
   * payload. Send the envelope with exactly this pattern (`client.emit` for an event).
   * @throws AuthContextUnavailableError outside an authenticated call tree (no context given)
   * @throws SnapshotMintError when the signer refuses
   */
  async wrap<T>(
    pattern: unknown,
    data: T,
    options: AuthSnapshotWrapOptions = {},
  ): Promise<AuthSnapshotEnvelope<T>> {
    const { context = getCurrentAuthContext(), kind = 'request', ...signOptions } = options;
    if (context === undefined) throw new AuthContextUnavailableError();
    const binding = messageSnapshotBinding(pattern, data, kind);
    return withAuthSnapshot(data, await this.signer.sign(context, { ...signOptions, binding }));
  }

  /** `client.send(pattern, wrapped)` and its last value. */
  async send<R>(
    client: MessageClient,
    pattern: unknown,
    data: unknown,
    options?: AuthSnapshotWrapOptions,
  ): Promise<R> {
    const envelope = await this.wrap(pattern, data, { ...options, kind: 'request' });
    return lastValueFrom(client.send<R>(pattern, envelope));
  }

  /** `client.emit(pattern, wrapped)` (an event: no answer), resolved once handed to the transport. */
  async emit(
    client: MessageClient,
    pattern: unknown,
    data: unknown,
    options?: AuthSnapshotWrapOptions,
  ): Promise<void> {
    const envelope = await this.wrap(pattern, data, { ...options, kind: 'event' });
    await lastValueFrom(client.emit(pattern, envelope), { defaultValue: undefined });
  }
}
