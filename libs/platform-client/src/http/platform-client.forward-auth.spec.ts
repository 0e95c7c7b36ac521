import { describe, expect, it } from '@jest/globals';
import {
  type AuthContext,
  type AuthSnapshotSigner,
  runWithAuthContext,
  type SnapshotSignOptions,
} from '@nest-platform/auth';
import {
  AUTH_SNAPSHOT_HEADER,
  httpSnapshotBinding,
  snapshotDigest,
} from '@nest-platform/auth/snapshots';
import { authenticatedContext } from '@nest-platform/auth/testing';
import type { Dispatcher } from 'undici';
import type { Clock } from '../shared/clock.js';
import { PlatformClient } from './platform-client.js';
import { resolvePlatformClientOptions } from './platform-client.options.js';

/** A clock whose sleeps resolve at once, except the deadline timer (never fires). */
const clock: Clock = {
  now: () => 0,
  sleep: (ms, signal) =>
    ms >= 30_000
      ? new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject()))
      : Promise.resolve(),
};

function fixture(statuses: number[]) {
  const sent: Array<Record<string, string>> = [];
  const bindings: Array<string | undefined> = [];
  let minted = 0;
  const signer: AuthSnapshotSigner = {
    sign: (_context: AuthContext, options?: SnapshotSignOptions) => {
      bindings.push(options?.binding);
      return Promise.resolve(`snapshot-${++minted}`);
    },
  };
  const dispatcher = {
    request: (options: { headers: Record<string, string> }) => {
      sent.push({ ...options.headers });
      return Promise.resolve({
        statusCode: statuses.shift() ?? 200,
        headers: { 'content-length': '0' },
        body: { arrayBuffer: () => Promise.resolve(new ArrayBuffer(0)) },
      });
    },
  } as unknown as Dispatcher;
  const client = new PlatformClient(
    resolvePlatformClientOptions({ baseUrl: 'https://b.test/api', forwardAuth: true }).http,
    { dispatcher, snapshotSigner: signer, forwardAuth: true, clock, random: () => 0 },
  );
  const context = authenticatedContext({
    subject: 'alice',
    issuer: 'https://idp.test',
    principalType: 'user',
  });
  const inRequest = <T>(fn: () => Promise<T>) => runWithAuthContext(context, fn);
  return { client, sent, bindings, inRequest };
}

describe('PlatformClient forwarding a snapshot', () => {
  it('binds the snapshot to method, target, content type and body bytes', async () => {
    const { client, sent, bindings, inRequest } = fixture([]);
    await inRequest(() => client.post('/transfers', { query: { dry: 0 }, json: { amount: 5 } }));
    await inRequest(() =>
      client.put('/notes/1', {
        body: 'hello',
        headers: { 'Content-Type': 'Text/Plain; Charset="UTF-8"; format=flowed' },
      }),
    );
    expect(bindings).toEqual([
      httpSnapshotBinding(
        'POST',
        '/api/transfers?dry=0',
        snapshotDigest('{"amount":5}'),
        'application/json',
      ),
      httpSnapshotBinding(
        'PUT',
        '/api/notes/1',
        snapshotDigest('hello'),
        'text/plain; charset=utf-8',
      ),
    ]);
    expect(bindings[0]).toContain(' application/json ');
    expect(bindings[1]).toContain(' text/plain;charset=utf-8 ');
    expect(sent[0]![AUTH_SNAPSHOT_HEADER]).toBe('snapshot-1');
    expect(sent[0]!.authorization).toBeUndefined();
  });

  it.each(['GET', 'HEAD', 'OPTIONS'])(
    'mints one snapshot per call for %s, a safe method (a retry is a redelivery)',
    async (method) => {
      const { client, sent, inRequest } = fixture([503, 200]);
      await inRequest(() => client.request(method, '/orders/1'));
      expect(sent.map((headers) => headers[AUTH_SNAPSHOT_HEADER])).toEqual([
        'snapshot-1',
        'snapshot-1',
      ]);
    },
  );

  it.each(['PUT', 'DELETE'])(
    'mints a fresh snapshot per attempt for %s (idempotent, but single-use at the receiver)',
    async (method) => {
      const { client, sent, inRequest } = fixture([503, 200]);
      await inRequest(() => client.request(method, '/orders/1'));
      expect(sent.map((headers) => headers[AUTH_SNAPSHOT_HEADER])).toEqual([
        'snapshot-1',
        'snapshot-2',
      ]);
    },
  );

  it('mints a fresh snapshot per attempt for POST (single-use at the receiver)', async () => {
    const { client, sent, inRequest } = fixture([503, 200]);
    await inRequest(() => client.post('/transfers', { json: {}, idempotent: true }));
    expect(sent.map((headers) => headers[AUTH_SNAPSHOT_HEADER])).toEqual([
      'snapshot-1',
      'snapshot-2',
    ]);
  });

  it('refuses an explicit Authorization header while forwarding, naming the option', async () => {
    const { client, sent, inRequest } = fixture([]);
    await expect(
      inRequest(() => client.get('/orders/1', { headers: { Authorization: 'Bearer x' } })),
    ).rejects.toThrow(/"headers.authorization" conflicts with "forwardAuth"/);
    expect(sent).toHaveLength(0);
    expect(() =>
      resolvePlatformClientOptions({
        baseUrl: 'https://b.test',
        forwardAuth: true,
        headers: { Authorization: 'Bearer x' },
      }),
    ).toThrow(/option "headers.authorization" conflicts with "forwardAuth"/);
  });
});
