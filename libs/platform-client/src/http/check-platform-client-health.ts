import type { Clock } from '../shared/clock.js';
import type { AccessTokenSource } from '../tokens/access-token-source.js';
import type { PlatformRequestOptions } from './platform-client.options.js';
import { type InternalRequestOptions, PRESENT_TOKEN } from './request-plan.js';
import type {
  AuthenticatedHealth,
  PlatformClientHealth,
  PlatformClientHealthOptions,
  PublicHealth,
} from './platform-client-health.js';

/** The parts of a client the health check uses. */
export interface HealthProbeTarget {
  request(
    method: string,
    path: string,
    options: PlatformRequestOptions,
  ): Promise<{ readonly status: number }>;
  readonly tokenSource?: AccessTokenSource;
  readonly options: { readonly healthPath: string; readonly authenticatedHealthPath: string };
}

/**
 * Probes public reachability (`GET healthPath`, no token) and authenticated reachability
 * (`GET authenticatedHealthPath` with the token the source already holds). Never acquires a
 * token, never invalidates one, never retries, never throws. Without a usable token, the
 * source's last acquisition decides: `token-failed` (with its code) if it failed, else `no-token`.
 */
export async function checkPlatformClientHealth(
  client: HealthProbeTarget,
  clock: Clock,
  options: PlatformClientHealthOptions = {},
): Promise<PlatformClientHealth> {
  const probe: PlatformRequestOptions = {
    authenticate: false,
    retries: 0,
    timeoutMs: options.timeoutMs ?? 5_000,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const [publicHealth, authenticated] = await Promise.all([
    probePublic(client, clock, probe),
    probeAuthenticated(client, clock, probe),
  ]);
  return { public: publicHealth, authenticated };
}

async function probePublic(
  client: HealthProbeTarget,
  clock: Clock,
  probe: PlatformRequestOptions,
): Promise<PublicHealth> {
  const outcome = await timed(clock, () => client.request('GET', client.options.healthPath, probe));
  return outcome.status === undefined
    ? { reachable: false, ok: false, ...errorCode(outcome.error) }
    : {
        reachable: true,
        ok: outcome.status < 300,
        status: outcome.status,
        latencyMs: outcome.latencyMs,
      };
}

async function probeAuthenticated(
  client: HealthProbeTarget,
  clock: Clock,
  probe: PlatformRequestOptions,
): Promise<AuthenticatedHealth> {
  const source = client.tokenSource;
  if (!source) return { state: 'not-configured' };
  const [token, status] = await Promise.all([
    source.peekToken().catch(() => undefined),
    source.status().catch(() => undefined),
  ]);
  const tokenStatus = status ? { token: status } : {};
  if (!token) {
    // A known failed acquisition is a failure to report, not an absence of data.
    if (status?.state === 'failed') {
      const code = status.lastErrorCode;
      return { state: 'token-failed', ...(code ? { errorCode: code } : {}), ...tokenStatus };
    }
    return { state: 'no-token', ...tokenStatus };
  }
  const outcome = await timed(clock, () =>
    client.request('GET', client.options.authenticatedHealthPath, {
      ...probe,
      // Presented with the client's scheme: Bearer, or DPoP with a fresh proof.
      [PRESENT_TOKEN]: token,
    } as InternalRequestOptions),
  );
  if (outcome.status === undefined) {
    return { state: 'unreachable', ...tokenStatus, ...errorCode(outcome.error) };
  }
  const state = outcome.status < 300 ? 'ok' : outcome.status === 401 ? 'rejected' : 'error';
  return { state, ...tokenStatus, status: outcome.status, latencyMs: outcome.latencyMs };
}

/** Runs `call`, turning a `PlatformHttpError` into its status and anything else into `error`. */
async function timed(
  clock: Clock,
  call: () => Promise<{ readonly status: number }>,
): Promise<{ status?: number; latencyMs?: number; error?: unknown }> {
  const started = clock.now();
  try {
    const response = await call();
    return { status: response.status, latencyMs: clock.now() - started };
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    return typeof status === 'number' ? { status, latencyMs: clock.now() - started } : { error };
  }
}

function errorCode(error: unknown): { errorCode?: string } {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? { errorCode: code } : {};
}
