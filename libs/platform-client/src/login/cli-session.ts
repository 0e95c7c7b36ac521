import type { TokenCache } from '../caches/token-cache.port.js';
import { NotLoggedInError } from '../errors/not-logged-in.error.js';
import { PlatformClientError } from '../errors/platform-client.error.js';
import { UnsupportedByIssuerError } from '../errors/unsupported-by-issuer.error.js';
import { type Clock, systemClock } from '../shared/clock.js';
import type { TokenProviderDeps } from '../tokens/providers/client-credentials.provider.js';
import {
  type OAuthClientOptions,
  resolveOAuthClientOptions,
  type ResolvedOAuthClientOptions,
} from '../tokens/providers/oauth-provider.options.js';
import { OpenIdConnection } from '../tokens/providers/openid-connection.js';
import { optionalPositive } from '../tokens/providers/option-checks.js';
import { RefreshTokenProvider } from '../tokens/providers/refresh-token.provider.js';
import { serialiseCacheKey } from '../tokens/token-cache-key.js';
import { TokenManager } from '../tokens/token-manager.js';
import type { TokenSet } from '../shared/token-set.js';
import { runLoopbackFlow } from './authorization-code.flow.js';
import { browserBlocker, type LoginEnvironment } from './browser-environment.js';
import { type BrowserOpener, systemBrowserOpener } from './browser-opener.js';
import { runDeviceFlow } from './device-authorization.flow.js';
import type { DeviceFallbackReason, LoginEventListener } from './login-event.js';
import { describeIdentity, type LoginIdentity } from './login-identity.js';
import { type LogoutResult, logoutSession } from './session-logout.js';
import { whoamiIdentity } from './session-whoami.js';

/** The loopback ports tried by default for the redirect (RFC 8252 §7.3). */
export const DEFAULT_LOOPBACK_PORTS: readonly number[] = Array.from(
  { length: 10 },
  (_, i) => 8400 + i,
);

/** Options of {@link CliSession}. A CLI is a public client: no secret. */
export interface CliSessionOptions extends Omit<
  OAuthClientOptions,
  'clientSecret' | 'privateKey' | 'clientAuth'
> {
  /** Requested scopes. @default 'openid profile email offline_access' */
  readonly scope?: string | readonly string[];
  /** Where the session's tokens live; a `FileTokenCache` for a CLI. */
  readonly cache: TokenCache;
  /** Decides whether a browser may be tried (display, SSH). */
  readonly environment: LoginEnvironment;
  /** Loopback ports for the redirect, tried in order; 0 = any free port. @default 8400-8409 */
  readonly ports?: readonly number[];
  /** How long to wait for the browser's redirect before falling back. @default 120_000 */
  readonly callbackTimeoutMs?: number;
  /**
   * Device-flow poll interval when the issuer's response names none (RFC 8628 §3.2 says 5 s).
   * An interval sent by the issuer always wins.
   * @default 5000
   */
  readonly deviceIntervalMs?: number;
  /** @default systemBrowserOpener(environment) */
  readonly openBrowser?: BrowserOpener;
  /** Receives progress to print (URLs, user code, polling, fallbacks). */
  readonly onEvent?: LoginEventListener;
}

/** Options of {@link CliSession.login}. */
export interface LoginOptions {
  /** Use the device flow even when a browser could be used. */
  readonly device?: boolean;
  readonly signal?: AbortSignal;
  /**
   * Step-up: authentication context classes to ask for, in order of preference, sent as
   * `acr_values` (what an API's RFC 9470 `insufficient_user_authentication` challenge names).
   * @see OpenID Connect Core §3.1.2.1, RFC 9470 §4
   */
  readonly acrValues?: string | readonly string[];
  /**
   * Step-up: the longest time since the user last authenticated actively, in seconds, sent as
   * `max_age` (0 asks for a fresh sign-in).
   * @see OpenID Connect Core §3.1.2.1, RFC 9470 §4
   */
  readonly maxAgeS?: number;
}

/** What {@link CliSession.login} did. */
export interface LoginResult {
  readonly method: 'browser' | 'device';
  /** Why the device flow was used, when it was. */
  readonly fallback?: DeviceFallbackReason;
  readonly identity: LoginIdentity;
}

/** Local view of the cached session, without any network request. */
export type SessionState = 'none' | 'active' | 'refreshable' | 'expired';

const FALLBACK_DETAIL: Record<Exclude<DeviceFallbackReason, 'forced'>, string> = {
  'no-display': 'no graphical display (neither DISPLAY nor WAYLAND_DISPLAY is set)',
  ssh: 'this is an SSH session (a browser would open on the remote machine)',
  'ports-taken': 'no loopback port is free for the browser redirect',
  'browser-failed': 'the browser could not be launched',
  'callback-timeout': 'the browser did not complete the login in time',
  'no-authorization-endpoint':
    'the issuer has no authorization endpoint (its discovery document names none)',
};

const FALLBACK_CODES: Partial<Record<string, DeviceFallbackReason>> = {
  LOOPBACK_UNAVAILABLE: 'ports-taken',
  BROWSER_UNAVAILABLE: 'browser-failed',
  CALLBACK_TIMEOUT: 'callback-timeout',
};

/** Why the browser flow should give way to the device flow, if it should. */
function fallbackReason(error: unknown): DeviceFallbackReason | undefined {
  if (error instanceof UnsupportedByIssuerError) {
    return error.endpoint === 'authorization_endpoint' ? 'no-authorization-endpoint' : undefined;
  }
  return error instanceof PlatformClientError ? FALLBACK_CODES[error.code] : undefined;
}

/**
 * A person's login session for a CLI: interactive login (authorization code + PKCE with a
 * loopback redirect, falling back to the device flow), tokens in a cache (refreshed through
 * {@link RefreshTokenProvider} and {@link TokenManager}), `whoami` and logout with revocation.
 *
 * The session is stored under the key of a refresh-token provider for the same issuer, client,
 * audience and scopes, so `refreshToken({ issuer, clientId, scope, audience })` with the same
 * cache (and no initial refresh token) uses the CLI's login.
 *
 * @example
 * const session = cliSession({
 *   issuer: 'https://id.example.com',
 *   clientId: 'my-cli',
 *   scope: 'openid profile offline_access orders:read',
 *   cache: new FileTokenCache({ directory: join(homedir(), '.config', 'my-cli') }),
 *   environment: { env: process.env },
 *   onEvent: (event) => printLoginEvent(event),
 * });
 * await session.login();
 */
export class CliSession {
  /** Storage key of the session in the cache. */
  readonly key: string;
  readonly #options: ResolvedOAuthClientOptions;
  readonly #connection: OpenIdConnection;
  readonly #refresh: RefreshTokenProvider;
  readonly #clock: Clock;
  readonly #scope: string;

  constructor(
    private readonly options: CliSessionOptions,
    private readonly deps: TokenProviderDeps = {},
  ) {
    const path = deps.optionPath ?? 'session';
    const scope = options.scope ?? 'openid profile email offline_access';
    this.#options = resolveOAuthClientOptions(
      { ...options, scope, clientAuth: 'none' } as OAuthClientOptions,
      path,
    );
    if (!options.cache) throw new TypeError(`${path}.cache is required.`);
    if (!options.environment?.env) throw new TypeError(`${path}.environment.env is required.`);
    optionalPositive(options.callbackTimeoutMs, `${path}.callbackTimeoutMs`);
    optionalPositive(options.deviceIntervalMs, `${path}.deviceIntervalMs`);
    const ports = options.ports ?? DEFAULT_LOOPBACK_PORTS;
    if (ports.length === 0 || !ports.every((p) => Number.isInteger(p) && p >= 0 && p <= 65535)) {
      throw new TypeError(`${path}.ports must be a non-empty list of ports (0-65535).`);
    }
    this.#clock = deps.clock ?? systemClock;
    this.#connection = new OpenIdConnection(this.#options, {
      fetch: deps.fetch,
      clock: this.#clock,
    });
    this.#refresh = new RefreshTokenProvider(
      { ...this.#options, clientAuth: 'none' },
      { ...deps, optionPath: path },
    );
    this.key = serialiseCacheKey(this.#refresh.cacheKey);
    this.#scope = [...new Set(normaliseScope(scope))].join(' ');
  }

  /** What the cache holds, without a network request. */
  async state(): Promise<SessionState> {
    const entry = await this.options.cache.get(this.key);
    if (!entry) return 'none';
    const { accessToken, expiresAt, refreshToken } = entry.tokenSet;
    if (accessToken !== '' && this.#clock.now() < expiresAt) return 'active';
    return refreshToken ? 'refreshable' : 'expired';
  }

  /**
   * Logs in interactively and stores the tokens, replacing any previous session. Uses the
   * browser when one can be used, else (or when it fails) the device flow.
   * @throws AccessDeniedError, DeviceCodeExpiredError, AuthorizationResponseError,
   *   UnsupportedByIssuerError, and the token errors (`CLIENT_AUTH_FAILED`,
   *   `TOKEN_ENDPOINT_UNAVAILABLE`, …)
   */
  async login(options: LoginOptions = {}): Promise<LoginResult> {
    const { signal } = options;
    const stepUp = stepUpParameters(options);
    const onEvent = this.options.onEvent ?? (() => undefined);
    // Discovery first (both flows need it, and it is kept): an unreachable issuer is reported
    // before anything is said about browsers or fallbacks, which would be beside the point.
    await this.#connection.run(signal, async () => undefined);
    let fallback: DeviceFallbackReason | undefined = options.device
      ? 'forced'
      : browserBlocker(this.options.environment);
    let tokenSet: TokenSet | undefined;
    if (!fallback) {
      try {
        tokenSet = await runLoopbackFlow({
          connection: this.#connection,
          clock: this.#clock,
          scope: this.#scope,
          audience: this.#options.audience,
          allowHttp: this.#options.allowHttp,
          ports: this.options.ports ?? DEFAULT_LOOPBACK_PORTS,
          callbackTimeoutMs: this.options.callbackTimeoutMs ?? 120_000,
          defaultExpiresInS: this.#options.defaultExpiresInS,
          openBrowser: this.options.openBrowser ?? systemBrowserOpener(this.options.environment),
          onEvent,
          signal,
          stepUp,
        });
      } catch (error) {
        fallback = fallbackReason(error);
        if (!fallback) throw error;
      }
    }
    if (!tokenSet) {
      if (fallback && fallback !== 'forced') {
        onEvent({ type: 'fallback', reason: fallback, detail: FALLBACK_DETAIL[fallback] });
      }
      tokenSet = await runDeviceFlow({
        connection: this.#connection,
        clock: this.#clock,
        scope: this.#scope,
        audience: this.#options.audience,
        defaultIntervalMs: this.options.deviceIntervalMs ?? 5000,
        defaultExpiresInS: this.#options.defaultExpiresInS,
        onEvent,
        signal,
        stepUp,
      });
    }
    const stored = tokenSet;
    await this.options.cache.withLock(
      this.key,
      () => this.options.cache.set(this.key, { tokenSet: stored, receivedAt: this.#clock.now() }),
      { signal },
    );
    return {
      method: fallback ? 'device' : 'browser',
      ...(fallback ? { fallback } : {}),
      identity: describeIdentity(this.#options.issuer, stored, undefined),
    };
  }

  /**
   * A valid access token of the session, refreshed through the refresh token when it expired.
   * @throws NotLoggedInError when nothing is cached; ReauthRequiredError when the refresh token was
   *   rejected (the session is then removed).
   */
  async accessToken(options: { signal?: AbortSignal } = {}): Promise<string> {
    if ((await this.state()) === 'none') throw new NotLoggedInError();
    return this.#tokens().getToken(options);
  }

  /**
   * Drops an access token that an API refused (401 `invalid_token`) from the session, keeping
   * its refresh token, so that the next {@link accessToken} refreshes instead of handing out the
   * same token again. A token that is no longer the session's is ignored.
   * @see RFC 6750 §3.1
   */
  async rejectAccessToken(accessToken: string): Promise<void> {
    await this.#tokens().invalidate(accessToken);
  }

  /** A token manager over the session's cache entry (its state lives in the cache). */
  #tokens(): TokenManager {
    return new TokenManager(this.#refresh, this.options.cache, { clock: this.#clock });
  }

  /**
   * Who is logged in: a valid (possibly just refreshed) session's claims, completed by the
   * issuer's userinfo endpoint when it answers (its failure is reported, not thrown; see
   * {@link whoamiIdentity} for how an API-bound access token still gets userinfo).
   * With `userInfo: false`, only the cached claims are used (no userinfo request, no extra
   * refresh): enough to check who is logged in.
   * @throws NotLoggedInError, ReauthRequiredError (see {@link accessToken})
   */
  async whoami(options: { signal?: AbortSignal; userInfo?: boolean } = {}): Promise<LoginIdentity> {
    const accessToken = await this.accessToken(options);
    return whoamiIdentity(
      {
        issuer: this.#options.issuer,
        connection: this.#connection,
        cache: this.options.cache,
        key: this.key,
        clock: this.#clock,
        scope: this.#scope,
        defaultExpiresInS: this.#options.defaultExpiresInS,
      },
      accessToken,
      options.signal,
      options.userInfo ?? true,
    );
  }

  /**
   * Revokes the refresh token (or, without one, the access token) where the issuer supports
   * revocation, and removes the cached session in every case.
   * @see RFC 7009
   */
  logout(options: { signal?: AbortSignal } = {}): Promise<LogoutResult> {
    return logoutSession(this.options.cache, this.key, this.#connection, options.signal);
  }

  /** Never shows tokens. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `CliSession ${JSON.stringify(this.toJSON())}`;
  }

  /** A description for logs: issuer, client id and cache key; never a token. */
  toJSON(): object {
    return { issuer: this.#options.issuer, clientId: this.#options.clientId, key: this.key };
  }
}

/** Builds a {@link CliSession}, in the style of the token provider factories. */
export function cliSession(options: CliSessionOptions, deps?: TokenProviderDeps): CliSession {
  return new CliSession(options, deps);
}

/**
 * The `acr_values` and `max_age` authorization parameters of a step-up login.
 * @throws TypeError when `acrValues` is empty or holds a non-token, or `maxAgeS` is not an
 *   integer >= 0
 */
export function stepUpParameters(
  options: Pick<LoginOptions, 'acrValues' | 'maxAgeS'>,
): Record<string, string> {
  const parameters: Record<string, string> = {};
  const { acrValues, maxAgeS } = options;
  if (acrValues !== undefined) {
    const list =
      typeof acrValues === 'string'
        ? acrValues.split(/\s+/).filter(Boolean)
        : Array.isArray(acrValues)
          ? acrValues.flatMap((value) => (typeof value === 'string' ? value.split(/\s+/) : [value]))
          : [acrValues];
    if (
      list.length === 0 ||
      !list.every((value) => typeof value === 'string' && /^[\x21-\x7e]+$/.test(value))
    ) {
      throw new TypeError(
        'login option "acrValues" must name one or more ACR values (no spaces inside one).',
      );
    }
    parameters.acr_values = list.join(' ');
  }
  if (maxAgeS !== undefined) {
    if (!Number.isSafeInteger(maxAgeS) || maxAgeS < 0) {
      throw new TypeError('login option "maxAgeS" must be an integer number of seconds >= 0.');
    }
    parameters.max_age = String(maxAgeS);
  }
  return parameters;
}

function normaliseScope(scope: string | readonly string[]): string[] {
  const parts =
    typeof scope === 'string' ? scope.split(/\s+/) : scope.flatMap((s) => s.split(/\s+/));
  return parts.filter(Boolean);
}
