import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Body, Controller, Get, Module, Param, Post, type Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AuthSnapshotSigner } from '@nest-platform/auth';
import { RedisReplayStore } from '@nest-platform/auth/redis';
import {
  AcceptSnapshot,
  AuthSnapshotModule,
  httpSnapshotBinding,
  snapshotDigest,
} from '@nest-platform/auth/snapshots';
import { PlatformAuthTestingModule, TestIssuer } from '@nest-platform/auth/testing';
import { Redis } from 'ioredis';
import { send } from '../fixtures/http-client.js';
import { PLATFORMS, startApp, type StartedApp } from '../fixtures/platforms.js';
import { alice, domainJwks, serviceKey, type ServiceKey } from '../snapshots/snapshot-keys.js';
import { RedisNode } from './fixtures/redis-nodes.js';

const DOMAIN = 'urn:test:replicas';
const calls = { transfers: 0, reads: 0 };

@Controller()
class OrdersController {
  @Post('transfers')
  @AcceptSnapshot()
  transfer(@Body() body: unknown) {
    calls.transfers++;
    return { body };
  }

  @Get('orders/:id')
  @AcceptSnapshot()
  read(@Param('id') id: string) {
    calls.reads++;
    return { id };
  }
}

/** One replica of service B: its own app and its own Redis connection, one shared Redis. */
function replicaOf(
  issuer: TestIssuer,
  a: ServiceKey,
  b: ServiceKey,
  store: RedisReplayStore,
): Type {
  @Module({
    imports: [
      PlatformAuthTestingModule.forRoot({ issuer, auth: { snapshots: { enabled: true } } }),
      AuthSnapshotModule.forRoot({
        trustDomain: DOMAIN,
        issuer: 'service-b',
        trustedIssuers: { 'service-a': [a.kid], 'service-b': [b.kid] },
        signingKey: { kid: b.kid, privateKey: b.privateKey },
        verificationKeys: domainJwks(a, b),
        replay: { store, timeoutMs: 400 },
      } as Parameters<typeof AuthSnapshotModule.forRoot>[0]),
    ],
    controllers: [OrdersController],
  })
  class ReplicaModule {}
  return ReplicaModule;
}

const snapshotHeader = (snapshot: string): Array<[string, string]> => [
  ['x-platform-auth-snapshot', snapshot],
];
const reasonOf = (response: { json: unknown }) => (response.json as { reason?: string }).reason;

/** Two replicas of one service sharing a RedisReplayStore: single use holds across them. */
describe.each(PLATFORMS)('RedisReplayStore shared by two replicas on $name', (platform) => {
  let redis: RedisNode;
  let issuer: TestIssuer;
  let signer: AuthSnapshotSigner;
  const clients: Redis[] = [];
  const replicas: StartedApp[] = [];

  const sign = (method: string, target: string, body?: unknown) =>
    signer.sign(alice(), {
      binding: httpSnapshotBinding(
        method,
        target,
        body === undefined ? undefined : snapshotDigest(JSON.stringify(body)),
        body === undefined ? undefined : 'application/json',
      ),
    });

  beforeAll(async () => {
    [redis, issuer] = await Promise.all([RedisNode.start(), TestIssuer.create()]);
    const [a, b] = await Promise.all([serviceKey('a-1'), serviceKey('b-1')]);
    const moduleRef = await Test.createTestingModule({
      imports: [
        AuthSnapshotModule.forRoot({
          trustDomain: DOMAIN,
          issuer: 'service-a',
          signingKey: { kid: a.kid, privateKey: a.privateKey },
          verificationKeys: domainJwks(a),
        }),
      ],
    }).compile();
    signer = moduleRef.get(AuthSnapshotSigner);
    for (let i = 0; i < 2; i++) {
      const client = new Redis({ host: '127.0.0.1', port: redis.port, lazyConnect: true });
      clients.push(client);
      const store = new RedisReplayStore({ client, commandTimeoutMs: 200 });
      replicas.push(
        await startApp(platform, replicaOf(issuer, a, b, store), false, { rawBody: true }),
      );
    }
  }, 60_000);
  afterAll(async () => {
    await Promise.all(replicas.map(({ app }) => app.close()));
    clients.forEach((client) => client.disconnect());
    await redis?.close();
  });

  it('refuses at the second replica a POST snapshot the first one accepted', async () => {
    const body = { to: 'bob', amount: 5 };
    const snapshot = await sign('POST', '/transfers', body);
    const before = calls.transfers;
    const first = await send(
      replicas[0]!.url,
      'POST',
      '/transfers',
      snapshotHeader(snapshot),
      body,
    );
    expect(first.status).toBe(201);
    const second = await send(
      replicas[1]!.url,
      'POST',
      '/transfers',
      snapshotHeader(snapshot),
      body,
    );
    expect([second.status, reasonOf(second)]).toEqual([401, 'SNAPSHOT_REPLAYED']);
    expect(calls.transfers).toBe(before + 1);
    // Stored until the snapshot's exp + tolerance, under a key that reveals nothing.
    const keys = redis.cli('--scan', '--pattern', 'platform-auth:snapshot:*').trim().split('\n');
    expect(keys.every((key) => /^platform-auth:snapshot:[A-Za-z0-9_-]{43}$/.test(key))).toBe(true);
    const ttlMs = Number(redis.cli('pttl', keys[0]!).trim());
    expect(ttlMs).toBeGreaterThan(55_000);
    expect(ttlMs).toBeLessThanOrEqual(65_000);
  });

  it('lets a bound GET snapshot be redelivered to the other replica, and only its own request', async () => {
    const snapshot = await sign('GET', '/orders/1');
    const before = calls.reads;
    expect(
      (await send(replicas[0]!.url, 'GET', '/orders/1', snapshotHeader(snapshot))).status,
    ).toBe(200);
    expect(
      (await send(replicas[1]!.url, 'GET', '/orders/1', snapshotHeader(snapshot))).status,
    ).toBe(200);
    const elsewhere = await send(replicas[1]!.url, 'GET', '/orders/2', snapshotHeader(snapshot));
    expect([elsewhere.status, reasonOf(elsewhere)]).toEqual([401, 'SNAPSHOT_INVALID']);
    expect(calls.reads).toBe(before + 2);
  });

  it('answers 503 within the bounded wait while Redis does not answer, never accepting, then recovers', async () => {
    const body = { to: 'carol', amount: 1 };
    const snapshot = await sign('POST', '/transfers', body);
    const before = calls.transfers;
    redis.pause(true);
    let refused;
    const started = performance.now();
    try {
      refused = await send(replicas[0]!.url, 'POST', '/transfers', snapshotHeader(snapshot), body);
    } finally {
      redis.pause(false);
    }
    expect(performance.now() - started).toBeLessThan(1500);
    expect([refused.status, reasonOf(refused)]).toEqual([503, 'DEPENDENCY_UNAVAILABLE']);
    expect(calls.transfers).toBe(before);
    // Back. The refused use may still have reached Redis (the command was sent): that snapshot
    // counts as used (fail closed), and a fresh one goes through, once, at either replica.
    const late = await send(replicas[1]!.url, 'POST', '/transfers', snapshotHeader(snapshot), body);
    expect([late.status, reasonOf(late)]).toEqual([401, 'SNAPSHOT_REPLAYED']);
    const fresh = await sign('POST', '/transfers', body);
    expect(
      (await send(replicas[1]!.url, 'POST', '/transfers', snapshotHeader(fresh), body)).status,
    ).toBe(201);
    const again = await send(replicas[0]!.url, 'POST', '/transfers', snapshotHeader(fresh), body);
    expect([again.status, reasonOf(again)]).toEqual([401, 'SNAPSHOT_REPLAYED']);
    expect(calls.transfers).toBe(before + 1);
  });
});
