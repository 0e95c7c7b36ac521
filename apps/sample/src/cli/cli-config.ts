import { homedir } from 'node:os';
import { join } from 'node:path';

/** What the CLI needs, resolved from flags and environment variables. */
export interface CliConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly scope: string;
  readonly audience?: string;
  /** `http://` is accepted for loopback IP literals only (127.0.0.0/8, [::1]): the embedded issuer. */
  readonly allowHttp: boolean;
  readonly cacheDir: string;
  /**
   * Base URL of the API that `call` sends requests to, with the session's access token;
   * `http://` only for a loopback IP literal, as for the issuer.
   */
  readonly apiUrl: string;
  readonly ports: readonly number[];
  readonly callbackTimeoutMs: number;
  readonly deviceIntervalMs: number;
}

/** Flags that override environment variables. */
export interface CliConfigFlags {
  readonly issuer?: string;
  readonly clientId?: string;
  readonly apiUrl?: string;
}

/** A flag or environment variable has an unusable value; the message names it. */
export class CliConfigError extends Error {
  override readonly name = 'CliConfigError';
}

/** Defaults, also quoted by docs/cli.md. */
export const CLI_DEFAULTS = {
  issuerPort: 3001,
  apiPort: 3000,
  clientId: 'sample-cli',
  scope: 'openid profile email offline_access documents:read',
  ports: '8400-8409',
  callbackTimeoutS: 120,
  deviceIntervalS: 5,
} as const;

/**
 * Loopback IP literals only (127.0.0.0/8 and [::1]): RFC 8252 §8.3 prefers them to `localhost`,
 * which a resolver or hosts file may send elsewhere.
 */
const LOOPBACK = /^(?:127(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}|\[::1\])$/;

/**
 * Resolves the CLI configuration. Flags win over variables; every error names the flag or
 * variable to fix.
 * @throws CliConfigError
 */
export function resolveCliConfig(
  env: Readonly<Record<string, string | undefined>>,
  flags: CliConfigFlags = {},
  home: string = homedir(),
): CliConfig {
  const issuerSource = flags.issuer !== undefined ? '--issuer' : 'PLATFORM_AUTH_ISSUER';
  const issuer =
    flags.issuer ??
    firstListEntry(env.PLATFORM_AUTH_ISSUER) ??
    `http://127.0.0.1:${port(env.PLATFORM_SAMPLE_ISSUER_PORT, 'PLATFORM_SAMPLE_ISSUER_PORT', CLI_DEFAULTS.issuerPort)}`;
  const allowHttp = checkUrl(issuer, issuerSource);
  const apiSource = flags.apiUrl !== undefined ? '--api-url' : 'PLATFORM_CLI_API_URL';
  const apiUrl =
    flags.apiUrl ??
    blankToUndefined(env.PLATFORM_CLI_API_URL) ??
    `http://127.0.0.1:${port(env.PORT, 'PORT', CLI_DEFAULTS.apiPort)}`;
  checkUrl(apiUrl, apiSource);
  const clientId = nonEmpty(
    flags.clientId ?? env.PLATFORM_CLI_CLIENT_ID ?? CLI_DEFAULTS.clientId,
    flags.clientId !== undefined ? '--client-id' : 'PLATFORM_CLI_CLIENT_ID',
  );
  const scope = nonEmpty(env.PLATFORM_CLI_SCOPE ?? CLI_DEFAULTS.scope, 'PLATFORM_CLI_SCOPE');
  const audienceName = env.PLATFORM_CLI_AUDIENCE
    ? 'PLATFORM_CLI_AUDIENCE'
    : 'PLATFORM_AUTH_AUDIENCE';
  const audience =
    blankToUndefined(env.PLATFORM_CLI_AUDIENCE) ?? blankToUndefined(env.PLATFORM_AUTH_AUDIENCE);
  if (audience !== undefined && !URL.canParse(audience)) {
    throw new CliConfigError(
      `${audienceName} must be an absolute URI, got ${JSON.stringify(audience)}.`,
    );
  }
  const cacheDir =
    blankToUndefined(env.PLATFORM_CLIENT_CACHE_DIR) ??
    join(blankToUndefined(env.XDG_CONFIG_HOME) ?? join(home, '.config'), 'platform-sample');
  return {
    issuer,
    clientId,
    scope,
    ...(audience ? { audience } : {}),
    allowHttp,
    cacheDir,
    apiUrl: apiUrl.replace(/\/+$/, ''),
    ports: portList(env.PLATFORM_CLI_PORTS ?? CLI_DEFAULTS.ports),
    callbackTimeoutMs:
      seconds(
        env.PLATFORM_CLI_CALLBACK_TIMEOUT_S,
        'PLATFORM_CLI_CALLBACK_TIMEOUT_S',
        CLI_DEFAULTS.callbackTimeoutS,
      ) * 1000,
    deviceIntervalMs:
      seconds(
        env.PLATFORM_CLI_DEVICE_INTERVAL_S,
        'PLATFORM_CLI_DEVICE_INTERVAL_S',
        CLI_DEFAULTS.deviceIntervalS,
      ) * 1000,
  };
}

/**
 * https anywhere; http only on a loopback host (returns whether http is in use): the CLI sends
 * tokens to the issuer and to the API, never over plain HTTP off the machine.
 */
function checkUrl(value: string, name: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliConfigError(`${name} must be an absolute URL, got ${JSON.stringify(value)}.`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new CliConfigError(
      `${name} must be a plain URL without query, fragment or credentials, got ${JSON.stringify(url.origin)}.`,
    );
  }
  if (url.protocol === 'https:') return false;
  if (url.protocol === 'http:' && LOOPBACK.test(url.hostname)) return true;
  throw new CliConfigError(
    `${name} must be an https:// URL (http:// is accepted only for a loopback IP literal such as http://127.0.0.1:3001 or http://[::1]:3001, not localhost), got ${JSON.stringify(url.origin)}.`,
  );
}

/** `8400-8409`, `8400,8402`, `0` (any free port), or a mix. */
function portList(text: string): number[] {
  const ports: number[] = [];
  for (const part of text.split(',').map((p) => p.trim())) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part);
    const from = range ? Number(range[1]) : NaN;
    const to = range?.[2] !== undefined ? Number(range[2]) : from;
    if (!range || from > 65535 || to > 65535 || to < from || to - from > 1000) {
      throw new CliConfigError(
        `PLATFORM_CLI_PORTS must list ports or ranges such as "8400-8409" or "8400,8401" (0 = any free port), got ${JSON.stringify(text)}.`,
      );
    }
    for (let p = from; p <= to; p++) ports.push(p);
  }
  return ports;
}

function port(value: string | undefined, name: string, fallback: number): number {
  if (blankToUndefined(value) === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new CliConfigError(
      `${name} must be a port between 1 and 65535, got ${JSON.stringify(value)}.`,
    );
  }
  return n;
}

function seconds(value: string | undefined, name: string, fallback: number): number {
  if (blankToUndefined(value) === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new CliConfigError(
      `${name} must be a positive number of seconds, got ${JSON.stringify(value)}.`,
    );
  }
  return n;
}

function nonEmpty(value: string, name: string): string {
  if (value.trim() === '') throw new CliConfigError(`${name} must not be empty.`);
  return value.trim();
}

function firstListEntry(value: string | undefined): string | undefined {
  return blankToUndefined(value?.split(',')[0]);
}

function blankToUndefined(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
