import { connect, createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { Clock } from '../shared/clock.js';
import { CALLBACK_PATH, callbackUrl, LoopbackCallbackServer } from './loopback-callback.server.js';

/** A clock whose sleeps end only when the test says so (`elapse()`), or on abort. */
function manualClock(): Clock & { elapse(): void; sleeping(): number } {
  const sleepers = new Set<() => void>();
  return {
    now: () => 0,
    sleep: (_ms, signal) =>
      new Promise<void>((resolve, reject) => {
        const wake = () => {
          sleepers.delete(wake);
          resolve();
        };
        sleepers.add(wake);
        signal?.addEventListener('abort', () => {
          sleepers.delete(wake);
          reject(signal.reason);
        });
      }),
    elapse: () => [...sleepers].forEach((wake) => wake()),
    sleeping: () => sleepers.size,
  };
}

/** Sends a raw request line (so absolute-form targets reach the server as written). */
async function rawGet(port: number, target: string): Promise<{ status: number; body: string }> {
  const socket = connect(port, '127.0.0.1');
  socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
  let text = '';
  for await (const chunk of socket) text += String(chunk);
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]), body: text };
}

const portOf = (server: LoopbackCallbackServer) => Number(new URL(server.redirectUri).port);

describe('LoopbackCallbackServer', () => {
  const open: LoopbackCallbackServer[] = [];
  const blockers: Server[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((server) => server.close()));
    await Promise.all(
      blockers.splice(0).map((b) => new Promise((resolve) => b.close(() => resolve(undefined)))),
    );
  });
  const listen = async (ports: readonly number[] = [0]) => {
    const server = await LoopbackCallbackServer.listen(ports);
    open.push(server);
    return server;
  };
  const taken = async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    blockers.push(blocker);
    return (blocker.address() as { port: number }).port;
  };

  describe('listen', () => {
    it('binds 127.0.0.1 on the first free port of the list', async () => {
      const busy = await taken();
      const server = await listen([busy, 0]);
      expect(server.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
      expect(portOf(server)).not.toBe(busy);
    });

    it('fails with LOOPBACK_UNAVAILABLE when every port is taken', async () => {
      const busy = await taken();
      await expect(LoopbackCallbackServer.listen([busy])).rejects.toMatchObject({
        code: 'LOOPBACK_UNAVAILABLE',
      });
    });

    it('keeps an error listener after binding, so a late server error does not crash the process', async () => {
      const server = await listen();
      const inner = (server as unknown as { server: Server }).server;
      expect(inner.listenerCount('error')).toBeGreaterThan(0);
      expect(() => inner.emit('error', new Error('late'))).not.toThrow();
    });
  });

  describe('waitForCallback', () => {
    it('resolves with the redirect URL (on the registered redirect URI) and answers the browser', async () => {
      const server = await listen();
      const callback = server.waitForCallback('s-1', 60_000, manualClock());
      const response = fetch(`${server.redirectUri}?code=abc&state=s-1&iss=https%3A%2F%2Fid`);
      const received = await callback;
      expect(received.url.href).toBe(
        `${server.redirectUri}?code=abc&state=s-1&iss=https%3A%2F%2Fid`,
      );
      received.respond('success');
      const answer = await response;
      expect(answer.status).toBe(200);
      expect(await answer.text()).toContain('You can close this tab');
      expect(answer.headers.get('cache-control')).toBe('no-store');
    });

    it('refuses a redirect with another state (400) and keeps waiting for the right one', async () => {
      const server = await listen();
      const callback = server.waitForCallback('right', 60_000, manualClock());
      const forged = await fetch(`${server.redirectUri}?code=forged&state=wrong`);
      expect(forged.status).toBe(400);
      expect(await forged.text()).toContain('state mismatch');
      const good = fetch(`${server.redirectUri}?code=real&state=right`);
      const received = await callback;
      expect(received.url.searchParams.get('code')).toBe('real');
      received.respond('success');
      await good;
    });

    it.each([
      ['an absolute-form target', (_port: number) => `http://evil.example/callback?code=x&state=S`],
      [
        'an absolute-form target naming the loopback',
        (port: number) => `http://127.0.0.1:${port}/callback?code=x&state=S`,
      ],
      ['a scheme-relative target', () => '//evil.example/callback?code=x&state=S'],
      ['an asterisk target', () => '*'],
    ])('refuses %s with 400 without ending the login', async (_name, target) => {
      const server = await listen();
      const clock = manualClock();
      let settled = false;
      const callback = server.waitForCallback('S', 60_000, clock);
      void callback.then(
        () => (settled = true),
        () => (settled = true),
      );
      const answer = await rawGet(portOf(server), target(portOf(server)));
      expect(answer.status).toBe(400);
      expect(answer.body).not.toContain('evil');
      expect(settled).toBe(false);

      const good = fetch(`${server.redirectUri}?code=real&state=S`);
      const received = await callback;
      expect(received.url.origin).toBe(new URL(server.redirectUri).origin);
      received.respond('success');
      await good;
    });

    it('answers 404 to other paths and methods, without ending the login', async () => {
      const server = await listen();
      const callback = server.waitForCallback('S', 60_000, manualClock());
      const origin = new URL(server.redirectUri).origin;
      expect((await fetch(`${origin}/other?code=x&state=S`)).status).toBe(404);
      expect((await fetch(`${server.redirectUri}?code=x&state=S`, { method: 'POST' })).status).toBe(
        404,
      );
      const good = fetch(`${server.redirectUri}?code=real&state=S`);
      (await callback).respond('success');
      await good;
    });

    it('fails with ACCESS_DENIED when the browser comes back with error=access_denied', async () => {
      const server = await listen();
      const callback = server.waitForCallback('S', 60_000, manualClock());
      const page = fetch(
        `${server.redirectUri}?error=access_denied&error_description=End-User+aborted&state=S`,
      );
      await expect(callback).rejects.toMatchObject({
        code: 'ACCESS_DENIED',
        message: expect.stringContaining('End-User aborted'),
      });
      expect(await (await page).text()).toContain('The login was denied');
    });

    it('fails with AUTHORIZATION_RESPONSE_REJECTED on another OAuth error or a missing code', async () => {
      const server = await listen();
      const first = server.waitForCallback('S', 60_000, manualClock());
      void fetch(`${server.redirectUri}?error=server_error&state=S`);
      await expect(first).rejects.toMatchObject({ code: 'AUTHORIZATION_RESPONSE_REJECTED' });
      const second = server.waitForCallback('T', 60_000, manualClock());
      void fetch(`${server.redirectUri}?state=T`);
      await expect(second).rejects.toMatchObject({ code: 'AUTHORIZATION_RESPONSE_REJECTED' });
    });

    it('fails with CALLBACK_TIMEOUT when the clock says the time is up', async () => {
      const server = await listen();
      const clock = manualClock();
      const callback = server.waitForCallback('S', 5_000, clock);
      expect(clock.sleeping()).toBe(1);
      clock.elapse();
      await expect(callback).rejects.toMatchObject({ code: 'CALLBACK_TIMEOUT' });
    });

    it("rejects with the signal's reason when aborted", async () => {
      const server = await listen();
      const controller = new AbortController();
      const callback = server.waitForCallback('S', 5_000, manualClock(), controller.signal);
      const reason = new Error('interrupted');
      controller.abort(reason);
      await expect(callback).rejects.toBe(reason);
    });
  });
});

describe('callbackUrl', () => {
  const redirect = 'http://127.0.0.1:8400/callback';

  it('copies only the path and query onto the registered redirect URI', () => {
    expect(callbackUrl('/callback?code=a&state=b', redirect)?.href).toBe(
      'http://127.0.0.1:8400/callback?code=a&state=b',
    );
    expect(callbackUrl('/other', redirect)?.pathname).toBe('/other');
  });

  it.each([
    undefined,
    '',
    '*',
    'callback?code=a',
    'http://evil.example/callback?code=a',
    '//evil.example/callback?code=a',
    '/\\evil.example/callback',
  ])('refuses %j', (target) => {
    expect(callbackUrl(target, redirect)).toBeUndefined();
  });

  it('never changes the origin', () => {
    for (const target of ['/callback/../callback?x=1', '/%2F%2Fevil/callback', '/@evil/callback']) {
      expect(callbackUrl(target, redirect)?.origin).toBe('http://127.0.0.1:8400');
    }
  });

  it('is what the server path check sees', () => {
    expect(callbackUrl(`${CALLBACK_PATH}?a=1`, redirect)?.pathname).toBe(CALLBACK_PATH);
  });
});
