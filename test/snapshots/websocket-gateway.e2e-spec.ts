import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { type AuthContext, CurrentAuth, Public, RequireScope } from '@platform/auth';
import { PlatformAuthTestingModule, TestIssuer } from '@platform/auth/testing';
import { PlatformWsAdapter } from '@platform/auth/ws';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';

const calls: string[] = [];

@WebSocketGateway({ path: '/ws' })
class OrdersGateway {
  @SubscribeMessage('orders.get')
  @RequireScope('orders:read')
  get(@MessageBody() data: { id: string }, @CurrentAuth() auth: AuthContext) {
    calls.push(`get:${data.id}`);
    return { event: 'order', data: { id: data.id, subject: auth.subject } };
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

function exchange(
  socket: WebSocket,
  event: string,
  data: unknown,
): Promise<{ event: string; data: unknown }> {
  return new Promise((resolve) => {
    socket.once('message', (raw) => resolve(JSON.parse(raw.toString())));
    socket.send(JSON.stringify({ event, data }));
  });
}

describe('WebSocket gateway behind PlatformWsAdapter', () => {
  let issuer: TestIssuer;
  let app: INestApplication;
  let url: string;

  async function boot(handshake: 'required' | 'optional') {
    const moduleRef = await Test.createTestingModule({
      imports: [PlatformAuthTestingModule.forRoot({ issuer })],
      providers: [OrdersGateway],
    }).compile();
    const started = moduleRef.createNestApplication({ logger: false });
    started.useWebSocketAdapter(new PlatformWsAdapter(started, { handshake }));
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
        data: { id: '3', subject: 'alice' },
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
