import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type CanActivate,
  Controller,
  type ExecutionContext,
  Get,
  type INestApplication,
  type INestMicroservice,
  Injectable,
  Module,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import {
  type ClientProxy,
  ClientProxyFactory,
  EventPattern,
  MessagePattern,
  Payload,
  Transport,
} from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import {
  type AuthContext,
  CurrentAuth,
  Protected,
  Public,
  RequireScope,
  UnguardedMessageHandlersError,
} from '@nest-platform/auth';
import { AuthSnapshotMessenger } from '@nest-platform/auth/microservices';
import { AuthSnapshotModule } from '@nest-platform/auth/snapshots';
import { PlatformAuthTestingModule, TestIssuer } from '@nest-platform/auth/testing';
import type { AddressInfo } from 'node:net';
import { lastValueFrom } from 'rxjs';
import { send } from '../fixtures/http-client.js';
import { PLATFORMS } from '../fixtures/platforms.js';
import { startRedis, type StartedRedis } from '../fixtures/redis-server.js';
import { alice, domainJwks, serviceKey, type ServiceKey } from './snapshot-keys.js';

const DOMAIN = 'urn:test:hybrid';
const seen: Array<{ pattern: string; subject: string | null }> = [];

@Controller('orders')
class HybridHandlers {
  @Get()
  @Protected()
  list() {
    return [];
  }

  @MessagePattern('orders.get')
  @RequireScope('orders:read')
  get(@Payload() data: { id: string }, @CurrentAuth() auth: AuthContext | undefined) {
    seen.push({ pattern: 'orders.get', subject: auth?.subject ?? null });
    return { id: data.id, subject: auth?.subject ?? null };
  }

  /** No decorator: protected by default, like an HTTP route. */
  @MessagePattern('orders.count')
  count(@CurrentAuth() auth: AuthContext | undefined) {
    seen.push({ pattern: 'orders.count', subject: auth?.subject ?? null });
    return 42;
  }

  @EventPattern('orders.created')
  @RequireScope('orders:read')
  created(@CurrentAuth() auth: AuthContext | undefined) {
    seen.push({ pattern: 'orders.created', subject: auth?.subject ?? null });
  }

  @MessagePattern('ping')
  @Public()
  ping() {
    return 'pong';
  }
}

@Controller('status')
class HttpOnly {
  @Get()
  @Public()
  status() {
    return { ok: true };
  }
}

/** An app guard that refuses every message it does not recognise, registered before ours. */
@Injectable()
class StrictMessageGuard implements CanActivate {
  canActivate(context: ExecutionContext) {
    return context.getType() !== 'rpc' || context.getClass() === HybridHandlers;
  }
}

function hybridModule(
  issuer: TestIssuer,
  key: ServiceKey,
  extra: { controllers?: Function[]; providers?: unknown[] } = {},
) {
  @Module({
    imports: [
      PlatformAuthTestingModule.forRoot({ issuer, auth: { snapshots: { enabled: true } } }),
      AuthSnapshotModule.forRoot({
        trustDomain: DOMAIN,
        issuer: 'service-b',
        trustedIssuers: { 'service-a': [key.kid] },
        signingKey: { kid: 'b-1', privateKey: key.privateKey },
        verificationKeys: domainJwks(key),
      }),
    ],
    controllers: (extra.controllers ?? [HybridHandlers]) as never[],
    providers: (extra.providers ?? []) as never[],
  })
  class HybridModule {}
  return HybridModule;
}

interface TransportCase {
  readonly name: string;
  server(): object;
  client(microservice: INestMicroservice): object;
}

let redis: StartedRedis;

const TRANSPORTS: TransportCase[] = [
  {
    name: 'TCP',
    server: () => ({ transport: Transport.TCP, options: { host: '127.0.0.1', port: 0 } }),
    client: (microservice) => ({
      transport: Transport.TCP,
      options: {
        host: '127.0.0.1',
        port: (microservice.unwrap() as { address(): AddressInfo }).address().port,
      },
    }),
  },
  {
    name: 'Redis (a real redis-server)',
    server: () => ({ transport: Transport.REDIS, options: { path: redis.path } }),
    client: () => ({ transport: Transport.REDIS, options: { path: redis.path } }),
  },
];

async function refusal(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e as Record<string, unknown>,
  );
}

function expectUnguarded(error: unknown, reason = 'not-inherited') {
  expect(error).toBeInstanceOf(UnguardedMessageHandlersError);
  expect(error).toMatchObject({ code: 'MESSAGE_HANDLERS_UNGUARDED', reason });
  const { patterns, message } = error as UnguardedMessageHandlersError;
  expect(patterns).toEqual(
    expect.arrayContaining(['orders.get', 'orders.count', 'orders.created', 'ping']),
  );
  expect(patterns.some((p) => p.includes('guard-probe'))).toBe(false);
  expect(message).toContain('app.connectMicroservice(options, { inheritAppConfig: true })');
}

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

describe.each(PLATFORMS)('a hybrid app on $name', (platform) => {
  let issuer: TestIssuer;
  let key: ServiceKey;
  let messenger: AuthSnapshotMessenger;

  beforeAll(async () => {
    issuer = await TestIssuer.create();
    key = await serviceKey('a-1');
    const signer = await Test.createTestingModule({
      imports: [
        AuthSnapshotModule.forRoot({
          trustDomain: DOMAIN,
          issuer: 'service-a',
          signingKey: { kid: key.kid, privateKey: key.privateKey },
          verificationKeys: domainJwks(key),
        }),
      ],
    }).compile();
    messenger = signer.get(AuthSnapshotMessenger);
  });

  async function createApp(module = hybridModule(issuer, key)): Promise<INestApplication> {
    const moduleRef = await Test.createTestingModule({ imports: [module] }).compile();
    return moduleRef.createNestApplication(platform.adapter(), { logger: false });
  }

  describe.each(TRANSPORTS)('with a connected $name microservice', (transport) => {
    describe('that does not inherit the app config: it is never started, naming the fix', () => {
      it('connected before boot: boot fails, and so does starting it', async () => {
        const app = await createApp();
        try {
          app.connectMicroservice(transport.server());
          expectUnguarded(await refusal(app.init()));
          expectUnguarded(await refusal(app.startAllMicroservices()));
        } finally {
          await app.close();
        }
      });

      it('started before boot (startAllMicroservices, then listen)', async () => {
        const app = await createApp();
        try {
          app.connectMicroservice(transport.server());
          expectUnguarded(await refusal(app.startAllMicroservices()));
          expectUnguarded(await refusal(app.listen(0, '127.0.0.1')));
        } finally {
          await app.close();
        }
      });

      it('connected after boot', async () => {
        const app = await createApp();
        try {
          await app.init();
          app.connectMicroservice(transport.server());
          expectUnguarded(await refusal(app.startAllMicroservices()));
        } finally {
          await app.close();
        }
      });

      it('connected with deferred initialization', async () => {
        const app = await createApp();
        try {
          app.connectMicroservice(transport.server(), { deferInitialization: true });
          await app.init();
          expectUnguarded(await refusal(app.startAllMicroservices()));
        } finally {
          await app.close();
        }
      });

      it('unless it has no message handlers (nothing to reach)', async () => {
        const app = await createApp(hybridModule(issuer, key, { controllers: [HttpOnly] }));
        try {
          app.connectMicroservice(transport.server());
          await app.startAllMicroservices();
          await app.init();
        } finally {
          await app.close();
        }
      });
    });

    describe('with { inheritAppConfig: true }', () => {
      let app: INestApplication;
      let client: ClientProxy;
      let url: string;
      let microservice: INestMicroservice;

      beforeAll(async () => {
        app = await createApp();
        microservice = app.connectMicroservice(transport.server(), {
          inheritAppConfig: true,
        });
        await app.startAllMicroservices();
        await app.listen(0, '127.0.0.1');
        url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
        client = ClientProxyFactory.create(transport.client(microservice) as never) as never;
        await client.connect();
      });
      afterAll(async () => {
        await client?.close();
        await app?.close();
      });

      it('refuses an anonymous message on a @RequireScope handler and on an undecorated one', async () => {
        const before = seen.length;
        for (const pattern of ['orders.get', 'orders.count']) {
          expect(await refusal(lastValueFrom(client.send(pattern, { id: '1' })))).toMatchObject({
            state: 'CHALLENGE',
            reason: 'CREDENTIALS_MISSING',
            statusCode: 401,
          });
        }
        expect(seen.length).toBe(before);
      });

      it("hands the handler the sender's caller (@CurrentAuth() is set)", async () => {
        expect(
          await messenger.send(client, 'orders.get', { id: '7' }, { context: alice() }),
        ).toEqual({ id: '7', subject: 'alice' });
        expect(await messenger.send(client, 'orders.count', {}, { context: alice() })).toBe(42);
        await messenger.emit(client, 'orders.created', {}, { context: alice() });
        for (let i = 0; i < 200 && seen.at(-1)?.pattern !== 'orders.created'; i++) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        expect(seen.at(-1)).toEqual({ pattern: 'orders.created', subject: 'alice' });
      });

      it('answers a public handler; the check left no handler of its own behind', async () => {
        expect(await lastValueFrom(client.send('ping', {}))).toBe('pong');
        const handlers = (
          microservice as unknown as {
            getTransportServer(): { getHandlers(): Map<string, unknown> };
          }
        )
          .getTransportServer()
          .getHandlers();
        expect([...handlers.keys()].sort()).toEqual([
          'orders.count',
          'orders.created',
          'orders.get',
          'ping',
        ]);
      });

      it('guards its HTTP routes as before', async () => {
        expect((await send(url, 'GET', '/orders')).status).toBe(401);
      });
    });

    it('refuses to start when a global guard before PlatformAuthGuard refuses the check', async () => {
      const app = await createApp(
        hybridModule(issuer, key, {
          controllers: [HybridHandlers],
          providers: [{ provide: APP_GUARD, useClass: StrictMessageGuard }],
        }),
      );
      try {
        app.connectMicroservice(transport.server(), { inheritAppConfig: true });
        expectUnguarded(await refusal(app.startAllMicroservices()), 'stopped-before-guard');
      } finally {
        await app.close();
      }
    });
  });
});
