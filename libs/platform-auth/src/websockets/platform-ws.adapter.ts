import type { IncomingMessage } from 'node:http';
import type { INestApplicationContext } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { AuthContext } from '../context/auth-context.interface.js';
import { bindConnectionAuthContext, runInAuthScope } from '../context/auth-context.storage.js';
import { HandshakeAuthenticator } from './handshake.authenticator.js';

/** Options of {@link PlatformWsAdapter}. */
export interface PlatformWsAdapterOptions {
  /**
   * `required`: an upgrade without valid credentials is refused (401) before the socket opens.
   * `optional`: it opens without a caller; protected messages are then refused. Invalid
   * credentials are refused either way.
   * @default 'required'
   */
  handshake?: 'required' | 'optional';
  /**
   * Accept an auth-context snapshot (`x-platform-auth-snapshot`) at the handshake, for
   * service-to-service sockets. It must be minted for this handshake
   * (`signer.sign(context, { binding: wsSnapshotBinding('/ws') })`) and opens one connection
   * (single use). Off: the header is ignored.
   * @default false
   */
  acceptSnapshot?: boolean;
}

type VerifyClientDone = (
  result: boolean,
  code?: number,
  message?: string,
  headers?: Record<string, string>,
) => void;

/**
 * `@nestjs/platform-ws`'s `WsAdapter` with authenticated handshakes: the upgrade request is
 * authenticated by {@link HandshakeAuthenticator} (bearer token, or a snapshot with
 * `acceptSnapshot`) before the
 * connection is accepted, and the caller is bound to the connection, where the app-wide guard
 * finds it for every `@SubscribeMessage` handler (and `@CurrentAuth()` reads it).
 *
 * @example
 * ```ts
 * const app = await NestFactory.create(AppModule);
 * app.useWebSocketAdapter(new PlatformWsAdapter(app));
 * ```
 */
export class PlatformWsAdapter extends WsAdapter {
  private readonly handshakes = new WeakMap<IncomingMessage, AuthContext>();
  private readonly required: boolean;
  private readonly acceptSnapshot: boolean;

  constructor(
    private readonly app: INestApplicationContext,
    options: PlatformWsAdapterOptions = {},
  ) {
    super(app);
    const handshake = options.handshake ?? 'required';
    if (handshake !== 'required' && handshake !== 'optional') {
      throw new TypeError(
        'PlatformWsAdapter: option "handshake" must be "required" or "optional".',
      );
    }
    this.required = handshake === 'required';
    const acceptSnapshot = options.acceptSnapshot ?? false;
    if (typeof acceptSnapshot !== 'boolean') {
      throw new TypeError('PlatformWsAdapter: option "acceptSnapshot" must be a boolean.');
    }
    this.acceptSnapshot = acceptSnapshot;
  }

  override create(
    port: number,
    options: Record<string, unknown> = {},
  ): ReturnType<WsAdapter['create']> {
    if (options.verifyClient !== undefined) {
      throw new TypeError('PlatformWsAdapter: a gateway may not set its own "verifyClient".');
    }
    const authenticator = this.app.get(HandshakeAuthenticator, { strict: false });
    const verifyClient = (info: { req: IncomingMessage }, done: VerifyClientDone) => {
      void authenticator
        .authenticate(info.req, { acceptSnapshot: this.acceptSnapshot })
        .then((result) => {
          const outcome =
            result.context === undefined && this.required && !result.refusal
              ? authenticator.missing()
              : result;
          if (outcome.refusal) {
            const { status, message, headers } = outcome.refusal;
            return done(false, status, message, { ...headers });
          }
          if (outcome.context) this.handshakes.set(info.req, outcome.context);
          done(true);
        });
    };
    return super.create(port, { ...options, verifyClient });
  }

  /** Each message is handled in a fresh auth scope (`getCurrentAuthContext()` in handlers). */
  override bindMessageHandlers(
    ...[client, handlers, transform]: Parameters<WsAdapter['bindMessageHandlers']>
  ): ReturnType<WsAdapter['bindMessageHandlers']> {
    const scoped = handlers.map((handler) => ({
      ...handler,
      callback: (...args: unknown[]) => runInAuthScope(() => handler.callback(...args)),
    }));
    return super.bindMessageHandlers(client, scoped, transform);
  }

  override bindClientConnect(server: unknown, callback: Function): void {
    (server as { on(event: string, fn: (...args: unknown[]) => void): void }).on(
      'connection',
      (client: unknown, request: unknown) => {
        const context = this.handshakes.get(request as IncomingMessage);
        if (context !== undefined) bindConnectionAuthContext(client as object, context);
        callback(client, request);
      },
    );
  }
}
