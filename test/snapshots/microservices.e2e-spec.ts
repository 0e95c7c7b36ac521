import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Inject, type INestMicroservice, Module, Param } from '@nestjs/common';
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
  AuthContextAccessor,
  AuthSnapshotSigner,
  AuthSnapshotVerifier,
  ContextScopeChecker,
  createAuthContext,
  CurrentAuth,
  PlatformAuthModule,
  Public,
  RequireScope,
} from '@nest-platform/auth';
import { AuthSnapshotMessenger, withAuthSnapshot } from '@nest-platform/auth/microservices';
import { AuthSnapshotModule, messageSnapshotBinding } from '@nest-platform/auth/snapshots';
import {
  authenticatedContext,
  PlatformAuthTestingModule,
  TestIssuer,
} from '@nest-platform/auth/testing';
import type { AddressInfo } from 'node:net';
import { lastValueFrom } from 'rxjs';
import { bearer, send } from '../fixtures/http-client.js';
import { CapturingLogger, PLATFORMS, startApp } from '../fixtures/platforms.js';
import { startRedis, type StartedRedis } from '../fixtures/redis-server.js';
import { alice, domainJwks, serviceKey, type ServiceKey } from './snapshot-keys.js';

const DOMAIN = 'urn:test:shop';
const seen: Array<{ pattern: string; data: unknown; subject?: string }> = [];
const clockB = { offsetMs: 0 };

@Controller()
class OrderHandlers {
  constructor(
    private readonly signer: AuthSnapshotSigner,
    private readonly accessor: AuthContextAccessor,
  ) {}

  /** The caller as the call tree sees it (AsyncLocalStorage), after an await. */
  @MessagePattern('orders.whoami')
  @RequireScope('orders:read')
  async whoami() {
    await new Promise((resolve) => setImmediate(resolve));
    return { current: this.accessor.get()?.subject ?? null };
  }

  @MessagePattern('public.whoami')
  @Public()
  async publicWhoami() {
    await new Promise((resolve) => setImmediate(resolve));
    return { current: this.accessor.get()?.subject ?? null };
  }

  @EventPattern('orders.audited')
  @RequireScope('orders:read')
  async audited(@Payload() data: { id: string }) {
    await new Promise((resolve) => setImmediate(resolve));
    seen.push({ pattern: 'orders.audited', data, subject: this.accessor.get()?.subject });
  }

  /** Forwards the caller onward: the context a snapshot authenticated must be signable. */
  @MessagePattern('orders.onward')
  @RequireScope('orders:read')
  async onward(@CurrentAuth() auth: AuthContext) {
    const snapshot = await this.signer.sign(auth, { binding: 'msg request next {}' });
    return { forwarded: typeof snapshot === 'string' };
  }
  @MessagePattern('orders.get')
  @RequireScope('orders:read')
  get(@Payload() data: { id: string }, @CurrentAuth() auth: AuthContext) {
    seen.push({ pattern: 'orders.get', data, subject: auth.subject });
    return { id: data.id, subject: auth.subject, issuer: auth.issuer, scopes: auth.scopes };
  }

  @EventPattern('orders.created')
  @RequireScope('orders:read')
  created(@Payload() data: { id: string }, @CurrentAuth() auth: unknown) {
    seen.push({ pattern: 'orders.created', data, subject: (auth as AuthContext).subject });
  }

  @MessagePattern('orders.cancel')
  @RequireScope('orders:read')
  cancel(@Payload() data: { id: string }, @CurrentAuth() auth: AuthContext) {
    seen.push({ pattern: 'orders.cancel', data, subject: auth.subject });
    return { cancelled: data.id };
  }

  @MessagePattern('ping')
  @Public()
  ping(@Payload() data: unknown) {
    return { pong: data };
  }
}

function serviceB(a: ServiceKey, b: ServiceKey) {
  @Module({
    imports: [
      PlatformAuthModule.forRoot({ snapshots: { enabled: true } }),
      AuthSnapshotModule.forRoot({
        trustDomain: DOMAIN,
        issuer: 'service-b',
        trustedIssuers: { 'service-a': [a.kid] },
        signingKey: { kid: b.kid, privateKey: b.privateKey },
        verificationKeys: domainJwks(a, b),
        now: () => Date.now() + clockB.offsetMs,
      }),
    ],
    controllers: [OrderHandlers],
    providers: [ContextScopeChecker],
  })
  class ServiceBModule {}
  return ServiceBModule;
}

async function signerModule(key: ServiceKey, trustDomain = DOMAIN) {
  const moduleRef = await Test.createTestingModule({
    imports: [
      AuthSnapshotModule.forRoot({
        trustDomain,
        issuer: 'service-a',
        signingKey: { kid: key.kid, privateKey: key.privateKey },
        verificationKeys: domainJwks(key),
      }),
    ],
  }).compile();
  return {
    messenger: moduleRef.get(AuthSnapshotMessenger),
    signer: moduleRef.get(AuthSnapshotSigner),
  };
}

/** An HTTP service A: authenticates bearer tokens, then messages B inside the request. */
@Controller('orders')
class GatewayController {
  constructor(
    @Inject('ORDERS') private readonly orders: ClientProxy,
    private readonly messenger: AuthSnapshotMessenger,
  ) {}

  @Get(':id')
  @RequireScope('orders:read')
  get(@Param('id') id: string) {
    return this.messenger.send(this.orders, 'orders.get', { id });
  }
}

function serviceA(issuer: TestIssuer, key: ServiceKey, client: ClientProxy) {
  @Module({
    imports: [
      PlatformAuthTestingModule.forRoot({ issuer, auth: { snapshots: { enabled: true } } }),
      AuthSnapshotModule.forRoot({
        trustDomain: DOMAIN,
        issuer: 'service-a',
        signingKey: { kid: key.kid, privateKey: key.privateKey },
        verificationKeys: domainJwks(key),
      }),
    ],
    controllers: [GatewayController],
    providers: [{ provide: 'ORDERS', useValue: client }],
  })
  class ServiceAModule {}
  return ServiceAModule;
}

interface TransportCase {
  readonly name: string;
  setup(): Promise<{ server: object; client: object; teardown?: () => Promise<void> }>;
}

let redis: StartedRedis | undefined;

const TRANSPORTS: TransportCase[] = [
  {
    name: 'TCP',
    async setup() {
      return {
        server: { transport: Transport.TCP, options: { host: '127.0.0.1', port: 0 } },
        client: { transport: Transport.TCP, options: { host: '127.0.0.1' } },
      };
    },
  },
  {
    name: 'Redis (a real redis-server)',
    async setup() {
      redis = await startRedis();
      const options = { transport: Transport.REDIS, options: { path: redis.path } };
      return { server: options, client: options, teardown: () => redis!.stop() };
    },
  },
];

async function error(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e as Record<string, unknown>,
  );
}

/** Waits (bounded) until an event handler recorded `count` entries; events have no reply. */
async function eventsSeen(count: number, pattern = 'orders.created'): Promise<void> {
  for (let i = 0; i < 200 && seen.filter((s) => s.pattern === pattern).length < count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(TRANSPORTS)('snapshots over the $name transport', (transport) => {
  let app: INestMicroservice;
  let client: ClientProxy;
  let teardown: (() => Promise<void>) | undefined;
  let messenger: AuthSnapshotMessenger;
  let signer: AuthSnapshotSigner;
  let keyA: ServiceKey;

  beforeAll(async () => {
    keyA = await serviceKey('a-1');
    const keyB = await serviceKey('b-1');
    const setup = await transport.setup();
    teardown = setup.teardown;
    const moduleRef = await Test.createTestingModule({
      imports: [serviceB(keyA, keyB)],
    }).compile();
    app = moduleRef.createNestMicroservice(setup.server as never);
    app.useLogger(false);
    await app.listen();
    let clientOptions = setup.client as { transport: Transport; options: Record<string, unknown> };
    if (clientOptions.transport === Transport.TCP) {
      const { port } = (app.unwrap() as { address(): AddressInfo }).address();
      clientOptions = { ...clientOptions, options: { ...clientOptions.options, port } };
    }
    client = ClientProxyFactory.create(clientOptions as never) as unknown as ClientProxy;
    await client.connect();
    ({ messenger, signer } = await signerModule(keyA));
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await teardown?.();
  });

  it("the handler sees the sender's caller and the unwrapped payload", async () => {
    const reply = await messenger.send(client, 'orders.get', { id: '7' }, { context: alice() });
    expect(reply).toEqual({
      id: '7',
      subject: 'alice',
      issuer: 'https://issuer.test',
      scopes: ['orders:read'],
    });
    expect(seen.at(-1)).toEqual({ pattern: 'orders.get', data: { id: '7' }, subject: 'alice' });
  });

  it('an event handler sees the caller too', async () => {
    const before = seen.filter((s) => s.pattern === 'orders.created').length;
    await messenger.emit(client, 'orders.created', { id: '8' }, { context: alice() });
    await eventsSeen(before + 1);
    expect(seen.at(-1)).toEqual({ pattern: 'orders.created', data: { id: '8' }, subject: 'alice' });
  });

  it("a handler that received a snapshot can forward its caller onward (the guard's context is signable)", async () => {
    expect(await messenger.send(client, 'orders.onward', {}, { context: alice() })).toEqual({
      forwarded: true,
    });
  });

  it("the caller is the current context in the handler's call tree (AuthContextAccessor), for messages and events", async () => {
    const bob = authenticatedContext({
      subject: 'bob',
      issuer: 'https://issuer.test',
      principalType: 'user',
      scopes: ['orders:read'],
      expiresAt: Math.floor(Date.now() / 1000) + 300,
    });
    const [a, b] = await Promise.all([
      messenger.send(client, 'orders.whoami', {}, { context: alice() }),
      messenger.send(client, 'orders.whoami', {}, { context: bob }),
    ]);
    expect([a, b]).toEqual([{ current: 'alice' }, { current: 'bob' }]);
    const before = seen.filter((s) => s.pattern === 'orders.audited').length;
    await messenger.emit(client, 'orders.audited', { id: '3' }, { context: bob });
    await eventsSeen(before + 1, 'orders.audited');
    expect(seen.at(-1)).toEqual({ pattern: 'orders.audited', data: { id: '3' }, subject: 'bob' });
  });

  it('a public handler has no current context, even right after a protected one', async () => {
    await messenger.send(client, 'orders.whoami', {}, { context: alice() });
    expect(await lastValueFrom(client.send('public.whoami', {}))).toEqual({ current: null });
  });

  it('a public handler needs no snapshot', async () => {
    expect(await lastValueFrom(client.send('ping', 1))).toEqual({ pong: 1 });
  });

  it("an HTTP service authenticates a bearer token and messages B in the request: B's handler sees A's caller", async () => {
    const issuer = await TestIssuer.create();
    const a = await startApp(PLATFORMS[0], serviceA(issuer, keyA, client));
    try {
      const token = await issuer.token({ subject: 'carol', scopes: ['orders:read'] });
      const response = await send(a.url, 'GET', '/orders/12', bearer(token));
      expect(response.status).toBe(200);
      expect(response.json).toEqual({
        id: '12',
        subject: 'carol',
        issuer: issuer.issuer,
        scopes: ['orders:read'],
      });
      expect(seen.at(-1)).toEqual({ pattern: 'orders.get', data: { id: '12' }, subject: 'carol' });
    } finally {
      await a.app.close();
    }
  });

  it('a redelivery of the same message is accepted', async () => {
    const envelope = await messenger.wrap('orders.get', { id: '9' }, { context: alice() });
    expect(await lastValueFrom(client.send('orders.get', envelope))).toMatchObject({ id: '9' });
    expect(await lastValueFrom(client.send('orders.get', envelope))).toMatchObject({ id: '9' });
  });

  describe('a captured snapshot is refused, the handler not invoked', () => {
    async function refusedWith(pattern: string, payload: unknown, reason: string) {
      const before = seen.length;
      expect(await error(lastValueFrom(client.send(pattern, payload)))).toMatchObject({
        state: 'CHALLENGE',
        reason,
        statusCode: 401,
      });
      expect(seen.length).toBe(before);
    }

    it('with another payload, before and after its own message', async () => {
      const envelope = await messenger.wrap('orders.get', { id: '9' }, { context: alice() });
      const snapshot = envelope['x-platform-auth-snapshot'];
      await refusedWith('orders.get', withAuthSnapshot({ id: '10' }, snapshot), 'SNAPSHOT_INVALID');
      // Not used up by the refusal: B's verifier still takes it as a first, single use.
      expect(
        await app.get(AuthSnapshotVerifier).verify(snapshot, {
          binding: messageSnapshotBinding('orders.get', { id: '9' }, 'request'),
          singleUse: true,
        }),
      ).toHaveProperty('subject', 'alice');
      expect(await lastValueFrom(client.send('orders.get', envelope))).toMatchObject({ id: '9' });
      await refusedWith('orders.get', withAuthSnapshot({ id: '10' }, snapshot), 'SNAPSHOT_INVALID');
    });

    it('on another pattern with the same payload', async () => {
      const envelope = await messenger.wrap('orders.get', { id: '9' }, { context: alice() });
      await refusedWith('orders.cancel', envelope, 'SNAPSHOT_INVALID');
    });

    it("an event's snapshot on a request handler of the same pattern", async () => {
      const envelope = await messenger.wrap(
        'orders.get',
        { id: '9' },
        { context: alice(), kind: 'event' },
      );
      await refusedWith('orders.get', envelope, 'SNAPSHOT_INVALID');
    });

    it('an unbound snapshot (a message handler requires one bound to the message)', async () => {
      const envelope = withAuthSnapshot({ id: '11' }, await signer.sign(alice()));
      await refusedWith('orders.get', envelope, 'SNAPSHOT_INVALID');
      await refusedWith('orders.get', envelope, 'SNAPSHOT_INVALID');
    });
  });

  it('the messenger refuses to wrap a context nobody authenticated', async () => {
    const handMade = createAuthContext({
      subject: 'root',
      issuer: 'https://issuer.test',
      principalType: 'user',
      scopes: ['orders:read'],
    });
    await expect(messenger.wrap('orders.get', {}, { context: handMade })).rejects.toMatchObject({
      code: 'SNAPSHOT_MINT_REFUSED',
      refusal: 'CONTEXT_UNVERIFIED',
    });
  });

  describe('refuses before the handler runs', () => {
    async function refused(payload: unknown, state: string, reason: string) {
      const before = seen.length;
      const refusal = await error(lastValueFrom(client.send('orders.get', payload)));
      expect(refusal).toEqual({
        status: 'error',
        state,
        reason,
        message: expect.any(String),
        statusCode: state === 'DENY' ? 403 : reason.startsWith('CREDENTIALS_MAL') ? 400 : 401,
      });
      expect(JSON.stringify(refusal)).not.toMatch(/eyJ/);
      expect(seen.length).toBe(before);
    }

    it('a message without a snapshot', () =>
      refused({ id: '1' }, 'CHALLENGE', 'CREDENTIALS_MISSING'));

    it('a malformed envelope', () =>
      refused({ 'x-platform-auth-snapshot': 42, data: {} }, 'CHALLENGE', 'CREDENTIALS_MALFORMED'));

    it('a snapshot that is not a b64token (two in one string)', async () => {
      const snapshot = await signer.sign(alice());
      await refused(
        { 'x-platform-auth-snapshot': `${snapshot} ${snapshot}`, data: {} },
        'CHALLENGE',
        'CREDENTIALS_MALFORMED',
      );
    });

    it('a tampered snapshot', async () => {
      const snapshot = await signer.sign(alice());
      const [h, p, s] = snapshot.split('.');
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
      const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'mallory' })).toString(
        'base64url',
      );
      await refused(
        withAuthSnapshot({ id: '1' }, `${h}.${forged}.${s}`),
        'CHALLENGE',
        'SNAPSHOT_INVALID',
      );
    });

    it('an expired snapshot', async () => {
      const envelope = await messenger.wrap('orders.get', { id: '1' }, { context: alice() });
      clockB.offsetMs = 70_000;
      try {
        await refused(envelope, 'CHALLENGE', 'SNAPSHOT_EXPIRED');
      } finally {
        clockB.offsetMs = 0;
      }
    });

    it('a snapshot for another trust domain', async () => {
      const other = await signerModule(keyA, 'urn:test:elsewhere');
      await refused(
        await other.messenger.wrap('orders.get', { id: '1' }, { context: alice() }),
        'CHALLENGE',
        'SNAPSHOT_INVALID',
      );
    });

    it('a caller without the scope (DENY)', async () => {
      const bob = authenticatedContext({
        subject: 'bob',
        issuer: 'https://issuer.test',
        principalType: 'user',
      });
      await refused(
        await messenger.wrap('orders.get', { id: '1' }, { context: bob }),
        'DENY',
        'INSUFFICIENT_SCOPE',
      );
    });

    it('an event without a valid snapshot (only the valid event after it arrives; the refusals are logged)', async () => {
      // An event has no reply to carry its refusal, so Nest logs it: capture and check that.
      const logs = new CapturingLogger();
      app.useLogger(logs);
      const count = () => seen.filter((s) => s.pattern === 'orders.created').length;
      const before = count();
      await lastValueFrom(client.emit('orders.created', { id: 'no-snapshot' }), {
        defaultValue: undefined,
      });
      await lastValueFrom(client.emit('orders.created', withAuthSnapshot({ id: 'bad' }, 'a.b.c')), {
        defaultValue: undefined,
      });
      await messenger.emit(client, 'orders.created', { id: 'good' }, { context: alice() });
      await eventsSeen(before + 1);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(count()).toBe(before + 1);
      expect(seen.at(-1)).toMatchObject({ data: { id: 'good' } });
      const refusals = logs.lines.filter((line) => line.endsWith(' RpcExceptionsHandler'));
      expect(refusals).toEqual([
        expect.stringContaining('Authentication required'),
        expect.stringContaining('The auth snapshot is invalid'),
      ]);
      app.useLogger(false);
    });
  });
});
