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

/** Options of {@link AuthSnapshotMessenger.wrap}. */
export interface AuthSnapshotWrapOptions extends SnapshotSignOptions {
  /** The context to propagate. @default the current request's (AsyncLocalStorage) */
  readonly context?: AuthContext;
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
   * The payload wrapped with a fresh snapshot.
   * @throws AuthContextUnavailableError outside an authenticated call tree (no context given)
   * @throws SnapshotMintError when the signer refuses
   */
  async wrap<T>(data: T, options: AuthSnapshotWrapOptions = {}): Promise<AuthSnapshotEnvelope<T>> {
    const { context = getCurrentAuthContext(), ...signOptions } = options;
    if (context === undefined) throw new AuthContextUnavailableError();
    return withAuthSnapshot(data, await this.signer.sign(context, signOptions));
  }

  /** `client.send(pattern, wrapped)` and its last value. */
  async send<R>(
    client: MessageClient,
    pattern: unknown,
    data: unknown,
    options?: AuthSnapshotWrapOptions,
  ): Promise<R> {
    return lastValueFrom(client.send<R>(pattern, await this.wrap(data, options)));
  }

  /** `client.emit(pattern, wrapped)` (an event: no answer), resolved once handed to the transport. */
  async emit(
    client: MessageClient,
    pattern: unknown,
    data: unknown,
    options?: AuthSnapshotWrapOptions,
  ): Promise<void> {
    await lastValueFrom(client.emit(pattern, await this.wrap(data, options)), {
      defaultValue: undefined,
    });
  }
}
