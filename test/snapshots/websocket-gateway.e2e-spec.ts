import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import {
  type AuthContext,
  AuthContextAccessor,
  AuthSnapshotSigner,
  CurrentAuth,
  Public,
  RequireScope,
} from '@nest-platform/auth';
import {
  AuthSnapshotModule,
  httpSnapshotBinding,
  wsSnapshotBinding,
} from '@nest-platform/auth/snapshots';
import { PlatformAuthTestingModule, TestIssuer } from '@nest-platform/auth/testing';
import { PlatformWsAdapter } from '@nest-platform/auth/ws';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { alice, domainJwks, serviceKey } from './snapshot-keys.js';

const calls: string[] = [];

@WebSocketGateway({ path: '/ws' })
class OrdersGateway {
  constructor(private readonly accessor: AuthContextAccessor) {}

  @SubscribeMessage('orders.get')
  @RequireScope('orders:read')
  async get(@MessageBody() data: { id: string }, @CurrentAuth() auth: AuthContext) {
    calls.push(`get:${data.id}`);
    await new Promise((resolve) => setImmediate(resolve));
    const current = this.accessor.get()?.subject ?? null;
    return { event: 'order', data: { id: data.id, subject: auth.subject, current } };
  }

  @SubscribeMessage('ping')
  @Public()
  ping(@ConnectedSocket() _client: unknown) {
    calls.push('ping');
    return { event: 'pong', data: {} };
  }
}

function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_request, response) =>
      reject(
        Object.assign(new Error(`HTTP ${response.statusCode}`), {
          status: response.statusCode,
          headers: response.headers,
        }),
      ),
    );
    socket.once('error', reject);
  });
}

/** Sends one message and waits (at most 2 s) for the next one. */
function exchange(
  socket: WebSocket,
  event: string,
  data: unknown,
): Promise<{ event: string; data: unknown }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off('message', onMessage);
      reject(new Error(`no answer to "${event}" within 2 s`));
    }, 2_000);
    const onMessage = (raw: WebSocket.RawData) => {
      clearTimeout(timer);
      resolve(JSON.parse(raw.toString()));
    };
    socket.once('message', onMessage);
    socket.send(JSON.stringify({ event, data }));
  });
}

const clock = { offsetMs: 0 };

describe('WebSocket gateway behind PlatformWsAdapter', () => {
  let issuer: TestIssuer;
  let app: INestApplication;
  let url: string;

  async function boot(handshake: 'required' | 'optional', acceptSnapshot?: boolean) {
    const key = await serviceKey('ws-1');
    const moduleRef = await Test.createTestingModule({
      imports: [
        PlatformAuthTestingModule.forRoot({
          issuer,
          auth: { snapshots: { enabled: true }, now: () => Date.now() + clock.offsetMs },
        }),
        AuthSnapshotModule.forRoot({
          trustDomain: 'urn:test:ws',
          issuer: 'service-a',
          signingKey: { kid: key.kid, privateKey: key.privateKey },
          verificationKeys: domainJwks(key),
        }),
      ],
      providers: [OrdersGateway],
    }).compile();
    const started = moduleRef.createNestApplication({ logger: false });
    started.useWebSocketAdapter(
      new PlatformWsAdapter(started, {
        handshake,
        ...(acceptSnapshot !== undefined && { acceptSnapshot }),
      }),
    );
    await started.listen(0, '127.0.0.1');
    const { port } = started.getHttpServer().address() as AddressInfo;
    return { app: started, url: `ws://127.0.0.1:${port}/ws` };
  }

  beforeAll(async () => {
    issuer = await TestIssuer.create();
    ({ app, url } = await boot('required'));
  });
  afterAll(() => app.close());

  it('accepts a handshake with a bearer token; the protected message sees the caller', async () => {
    const token = await issuer.token({ subject: 'alice', scopes: ['orders:read'] });
    const socket = await open(url, { authorization: `Bearer ${token}` });
    try {
      expect(await exchange(socket, 'orders.get', { id: '3' })).toEqual({
        event: 'order',
        data: { id: '3', subject: 'alice', current: 'alice' },
      });
    } finally {
      socket.close();
    }
  });

  it('refuses a handshake without credentials (401) and one with a bad token (401 invalid_token)', async () => {
    await expect(open(url)).rejects.toMatchObject({ status: 401 });
    const forged = (await issuer.token()).slice(0, -4) + 'AAAA';
    const refusal = open(url, { authorization: `Bearer ${forged}` });
    await expect(refusal).rejects.toMatchObject({ status: 401 });
    await refusal.catch((error: { headers: Record<string, string> }) =>
      expect(error.headers['www-authenticate']).toContain('error="invalid_token"'),
    );
  });

  it('refuses a handshake whose Authorization header is not "Bearer" 1*SP b64token (400 invalid_request)', async () => {
    const token = await issuer.token({ scopes: ['orders:read'] });
    for (const value of [`Bearer ${token} ${token}`, `Bearer ${token},${token}`]) {
      const refusal = open(url, { authorization: value });
      await expect(refusal).rejects.toMatchObject({ status: 400 });
      await refusal.catch((error: { headers: Record<string, string> }) =>
        expect(error.headers['www-authenticate']).toContain('error="invalid_request"'),
      );
    }
  });

  it('refuses a protected message from a caller without the scope, with the handler not invoked', async () => {
    const token = await issuer.token({ scopes: ['other'] });
    const socket = await open(url, { authorization: `Bearer ${token}` });
    try {
      const before = calls.length;
      expect(await exchange(socket, 'orders.get', { id: '4' })).toEqual({
        event: 'exception',
        data: expect.objectContaining({
          state: 'DENY',
          reason: 'INSUFFICIENT_SCOPE',
          statusCode: 403,
        }),
      });
      expect(calls.length).toBe(before);
    } finally {
      socket.close();
    }
  });

  it("refuses a message once the handshake's context expired (the module's clock)", async () => {
    const token = await issuer.token({ subject: 'alice', scopes: ['orders:read'] });
    const socket = await open(url, { authorization: `Bearer ${token}` });
    try {
      expect(await exchange(socket, 'orders.get', { id: '6' })).toMatchObject({ event: 'order' });
      clock.offsetMs = 3_600_000;
      const before = calls.length;
      expect(await exchange(socket, 'orders.get', { id: '6' })).toEqual({
        event: 'exception',
        data: expect.objectContaining({ state: 'CHALLENGE', reason: 'TOKEN_EXPIRED' }),
      });
      expect(calls.length).toBe(before);
    } finally {
      clock.offsetMs = 0;
      socket.close();
    }
  });

  describe('snapshots at the handshake', () => {
    let accepting: { app: INestApplication; url: string };
    beforeAll(async () => {
      accepting = await boot('required', true);
    });
    afterAll(() => accepting.app.close());

    const snapshotFor = (target: { app: INestApplication }, binding: string) =>
      target.app.get(AuthSnapshotSigner).sign(alice(), { binding });

    it('are ignored without the opt-in (401 missing credentials)', async () => {
      const snapshot = await snapshotFor({ app }, wsSnapshotBinding('/ws'));
      const refusal = open(url, { 'x-platform-auth-snapshot': snapshot });
      await expect(refusal).rejects.toMatchObject({ status: 401 });
      await refusal.catch((error: { headers: Record<string, string> }) =>
        expect(error.headers['www-authenticate']).toBe('Bearer realm="api"'),
      );
    });

    it('with the opt-in, open one connection whose messages see the caller', async () => {
      const snapshot = await snapshotFor(accepting, wsSnapshotBinding('/ws'));
      const socket = await open(accepting.url, { 'x-platform-auth-snapshot': snapshot });
      try {
        expect(await exchange(socket, 'orders.get', { id: '7' })).toEqual({
          event: 'order',
          data: { id: '7', subject: 'alice', current: 'alice' },
        });
      } finally {
        socket.close();
      }
      // Single use: the same snapshot does not open a second socket.
      await expect(
        open(accepting.url, { 'x-platform-auth-snapshot': snapshot }),
      ).rejects.toMatchObject({ status: 401 });
    });

    it('refuse a snapshot bound to an HTTP request or another path', async () => {
      for (const binding of [httpSnapshotBinding('GET', '/ws'), wsSnapshotBinding('/other')]) {
        const snapshot = await snapshotFor(accepting, binding);
        await expect(
          open(accepting.url, { 'x-platform-auth-snapshot': snapshot }),
        ).rejects.toMatchObject({ status: 401 });
      }
    });

    it('refuse a bearer token and a snapshot together (400); without the opt-in the bearer is used', async () => {
      const token = await issuer.token({ subject: 'bob', scopes: ['orders:read'] });
      const headers = {
        authorization: `Bearer ${token}`,
        'x-platform-auth-snapshot': await snapshotFor(accepting, wsSnapshotBinding('/ws')),
      };
      await expect(open(accepting.url, headers)).rejects.toMatchObject({ status: 400 });
      const socket = await open(url, headers);
      try {
        expect(await exchange(socket, 'orders.get', { id: '8' })).toEqual({
          event: 'order',
          data: { id: '8', subject: 'bob', current: 'bob' },
        });
      } finally {
        socket.close();
      }
    });
  });

  describe('with an optional handshake', () => {
    let optional: { app: INestApplication; url: string };
    beforeAll(async () => {
      optional = await boot('optional');
    });
    afterAll(() => optional.app.close());

    it('refuses a protected message without credentials and lets a public one through', async () => {
      const socket = await open(optional.url);
      try {
        const before = calls.length;
        expect(await exchange(socket, 'orders.get', { id: '5' })).toEqual({
          event: 'exception',
          data: expect.objectContaining({
            state: 'CHALLENGE',
            reason: 'CREDENTIALS_MISSING',
            statusCode: 401,
          }),
        });
        expect(calls.length).toBe(before);
        expect(await exchange(socket, 'ping', {})).toEqual({ event: 'pong', data: {} });
      } finally {
        socket.close();
      }
    });
  });
});
