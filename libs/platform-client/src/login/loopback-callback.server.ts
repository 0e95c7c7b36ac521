import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccessDeniedError } from '../errors/access-denied.error.js';
import { AuthorizationResponseError } from '../errors/authorization-response.error.js';
import { CallbackTimeoutError } from '../errors/callback-timeout.error.js';
import { LoopbackUnavailableError } from '../errors/loopback-unavailable.error.js';
import type { Clock } from '../shared/clock.js';
import { scrubCredentials } from '../secrets/scrub-credentials.js';

/** The path of the redirect URI on the loopback server. */
export const CALLBACK_PATH = '/callback';

/** An authorization response that carried the expected `state`. */
export interface LoopbackCallback {
  /** The full redirect URL (with `code`, `state`, `iss`): hand it to the code exchange. */
  readonly url: URL;
  /** Answers the waiting browser with the "you can close this tab" page (or a failure page). */
  respond(outcome: 'success' | 'failure'): void;
}

const PAGES = {
  success: page(
    'Logged in',
    'You are logged in. You can close this tab and return to the terminal.',
  ),
  failure: page('Login failed', 'The login did not complete. Return to the terminal for details.'),
  denied: page('Login denied', 'The login was denied. You can close this tab.'),
  malformed: page(
    'Unexpected request',
    'This request is not a redirect to this login. Start the login again from the terminal if it does not finish.',
  ),
  stale: page(
    'Unexpected response',
    'This response does not belong to the login in progress (state mismatch). Start the login again from the terminal.',
  ),
} as const;

/**
 * A one-shot HTTP server on 127.0.0.1 that receives the authorization redirect of a native app.
 * Binds the first free port of a list (0 = any free port), accepts only `GET /callback` with the
 * expected `state`, and never echoes request content back.
 * @see RFC 8252 §7.3 (loopback redirection), §8.3 (bind the loopback interface only)
 */
export class LoopbackCallbackServer {
  private pending?: {
    readonly state: string;
    readonly resolve: (callback: LoopbackCallback) => void;
    readonly reject: (error: unknown) => void;
  };

  private constructor(
    private readonly server: Server,
    /** `http://127.0.0.1:<port>/callback`. */
    readonly redirectUri: string,
  ) {
    server.on('request', (req, res) => {
      const url = callbackUrl(req.url, redirectUri);
      if (!url) {
        send(res, 400, PAGES.malformed);
        return;
      }
      if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
        return;
      }
      this.handle(url, res);
    });
    // A socket error after listening (a reset connection) must not crash the CLI.
    server.on('error', () => undefined);
    server.on('clientError', (_error, socket) => socket.destroy());
  }

  /**
   * Listens on the first port of `ports` that can be bound on 127.0.0.1.
   * @throws LoopbackUnavailableError when none can.
   */
  static async listen(ports: readonly number[]): Promise<LoopbackCallbackServer> {
    for (const port of ports) {
      const server = createServer();
      const bound = await new Promise<boolean>((resolve) => {
        server.once('error', () => resolve(false));
        server.listen(port, '127.0.0.1', () => resolve(true));
      });
      server.removeAllListeners('error');
      if (!bound) continue;
      const { port: actual } = server.address() as AddressInfo;
      return new LoopbackCallbackServer(server, `http://127.0.0.1:${actual}${CALLBACK_PATH}`);
    }
    throw new LoopbackUnavailableError(ports);
  }

  /**
   * Waits for the redirect that carries `state`. Requests with another (or no) `state` get an
   * error page and are otherwise ignored, so no other local process can end the login.
   * @throws AccessDeniedError on `error=access_denied`; AuthorizationResponseError on another
   *   OAuth error; CallbackTimeoutError when nothing valid arrived within `timeoutMs` (measured
   *   on `clock`).
   */
  async waitForCallback(
    state: string,
    timeoutMs: number,
    clock: Clock,
    signal?: AbortSignal,
  ): Promise<LoopbackCallback> {
    const timer = new AbortController();
    const stop = signal ? AbortSignal.any([signal, timer.signal]) : timer.signal;
    try {
      return await new Promise<LoopbackCallback>((resolve, reject) => {
        this.pending = { state, resolve, reject };
        clock.sleep(timeoutMs, stop).then(
          () => reject(new CallbackTimeoutError(timeoutMs)),
          () => reject(signal?.aborted ? signal.reason : new CallbackTimeoutError(timeoutMs)),
        );
      });
    } finally {
      this.pending = undefined;
      timer.abort();
    }
  }

  /**
   * Stops listening. Answered connections close by themselves (`connection: close`); one left
   * open (a browser that never got an answer) is dropped after a second.
   */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const timer = setTimeout(() => this.server.closeAllConnections(), 1000);
    timer.unref();
    await closed;
    clearTimeout(timer);
  }

  private handle(url: URL, res: ServerResponse): void {
    const pending = this.pending;
    const params = url.searchParams;
    if (!pending || params.get('state') !== pending.state) {
      send(res, 400, PAGES.stale);
      return;
    }
    const error = params.get('error');
    if (error !== null) {
      const description = sanitise(params.get('error_description'));
      if (error === 'access_denied') {
        send(res, 200, PAGES.denied);
        pending.reject(new AccessDeniedError(description));
      } else {
        send(res, 200, PAGES.failure);
        pending.reject(
          new AuthorizationResponseError(sanitise(error) ?? 'unnamed_error', description),
        );
      }
      return;
    }
    if (!params.get('code')) {
      send(res, 400, PAGES.failure);
      pending.reject(new AuthorizationResponseError('the redirect carried no code'));
      return;
    }
    let answered = false;
    pending.resolve({
      url,
      respond: (outcome) => {
        if (answered) return;
        answered = true;
        send(res, 200, PAGES[outcome]);
      },
    });
  }
}

/**
 * The registered redirect URI with only the request target's path and query: what the code
 * exchange is given as the authorization response. The target must be origin-form (`/…`,
 * RFC 9112 §3.2.1): an absolute-form (`http://elsewhere/callback`) or scheme-relative
 * (`//elsewhere/callback`) target would otherwise put a foreign origin into that URL.
 * `undefined` for anything else.
 */
export function callbackUrl(target: string | undefined, redirectUri: string): URL | undefined {
  if (!target || !target.startsWith('/') || target.startsWith('//')) return undefined;
  const query = target.indexOf('?');
  const path = query === -1 ? target : target.slice(0, query);
  if (path.includes('\\') || path.includes('#')) return undefined;
  const url = new URL(redirectUri);
  url.pathname = path;
  url.search = query === -1 ? '' : target.slice(query);
  return url;
}

function send(res: ServerResponse, status: number, body: string): void {
  res
    .writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'content-security-policy': "default-src 'none'",
      connection: 'close',
    })
    .end(body);
}

function page(title: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${message}</p></body></html>`;
}

function sanitise(text: string | null): string | undefined {
  return scrubCredentials(text, []);
}
