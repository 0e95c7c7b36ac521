import { AsyncLocalStorage } from 'node:async_hooks';
import { importJWK, type JWK } from 'jose';
import {
  allowInsecureRequests,
  type ClientAuth,
  type CryptoKey,
  ClientSecretBasic,
  ClientSecretPost,
  type Configuration,
  customFetch,
  type CustomFetch,
  discovery,
  type DPoPHandle,
  type DPoPOptions,
  getDPoPHandle,
  None,
  PrivateKeyJwt,
} from 'openid-client';
import type { DpopKey } from '../../dpop/dpop-key.js';
import { IssuerMismatchError } from '../../errors/issuer-mismatch.error.js';
import { TokenEndpointUnavailableError } from '../../errors/token-endpoint-unavailable.error.js';
import type { Clock } from '../../shared/clock.js';
import { abortable } from '../../shared/abortable.js';
import { readCappedBody } from '../../wire/capped-body.js';
import { assertAllowedEndpoint } from './endpoint-policy.js';
import { toTokenError } from './token-error.boundary.js';

/** How the client authenticates at the token endpoint. @see RFC 6749 §2.3, RFC 7523 §2.2 */
export type ClientAuthMethod =
  'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';

/** A private key for `private_key_jwt`: a private JWK (with `alg`, ideally `kid`) or a CryptoKey. */
export type ClientPrivateKey = JWK | CryptoKey;

/** What {@link OpenIdConnection} needs; secrets stay inside it. */
export interface OpenIdConnectionOptions {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly clientAuth: ClientAuthMethod;
  readonly privateKey?: ClientPrivateKey;
  readonly allowHttp: boolean;
  readonly timeoutMs: number;
  /** Bind tokens to this key (RFC 9449): every token request carries a proof of it. */
  readonly dpop?: DpopKey;
}

/** Transport and time of the token providers. */
export interface OpenIdDeps {
  /** Used for discovery and token requests; must honour `redirect: 'manual'`. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  readonly clock: Clock;
}

/**
 * An openid-client `Configuration`, discovered lazily (on the first token request, once for all
 * concurrent callers; a failed discovery is retried by the next call) and fenced:
 *
 * - the discovered `issuer` must equal the configured one (`ISSUER_MISMATCH`);
 * - the token endpoint, and every URL the client fetches, must be https (or loopback http with
 *   `allowHttp`) — checked before a request leaves, so a secret never reaches such an endpoint
 *   (`INSECURE_ENDPOINT`);
 * - redirects are never followed (`TOKEN_ENDPOINT_UNAVAILABLE` with the 3xx status).
 */
export class OpenIdConnection {
  readonly #secret?: string;
  readonly #privateKey?: ClientPrivateKey;
  readonly #runs = new AsyncLocalStorage<RunContext>();
  #configuration?: Promise<Configuration>;
  /** openid-client's DPoP handle: one per connection, so the server's nonce is remembered. */
  #dpop?: Promise<DPoPHandle>;

  constructor(
    private readonly options: OpenIdConnectionOptions,
    private readonly deps: OpenIdDeps,
  ) {
    this.#secret = options.clientSecret;
    this.#privateKey = options.privateKey;
  }

  /**
   * Runs `grant` with the configuration and, with a DPoP key, the DPoP options to pass to
   * openid-client's grant (it adds a proof to each token request and retries once on
   * `use_dpop_nonce`); every failure comes out as a typed error.
   */
  async run<T>(
    signal: AbortSignal | undefined,
    grant: (config: Configuration, dpop: DPoPOptions) => Promise<T>,
  ) {
    signal?.throwIfAborted();
    const config = await this.configuration(signal);
    const context: RunContext = { signal, sent: this.#secret ? [this.#secret] : [] };
    try {
      const dpop = await this.dpopOptions(config);
      return await this.#runs.run(context, () => grant(config, dpop));
    } catch (error) {
      throw this.mapError(error, 'token', signal, context.sent);
    }
  }

  /** Masks the secret and key. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `OpenIdConnection { issuer: ${JSON.stringify(this.options.issuer)}, clientAuth: ${this.options.clientAuth} }`;
  }

  toJSON(): object {
    return { issuer: this.options.issuer, clientAuth: this.options.clientAuth };
  }

  private async dpopOptions(config: Configuration): Promise<DPoPOptions> {
    const key = this.options.dpop;
    if (key === undefined) return {};
    this.#dpop ??= key.keyPair().then((pair) => getDPoPHandle(config, pair));
    return { DPoP: await this.#dpop };
  }

  private configuration(signal: AbortSignal | undefined): Promise<Configuration> {
    // Discovery runs with the signal of the caller who started it; later callers stop waiting
    // on their own signal.
    this.#configuration ??= this.#runs
      .run({ signal, sent: [] }, () => this.discover())
      .catch((error: unknown) => {
        this.#configuration = undefined;
        throw this.mapError(error, 'discovery', signal);
      });
    return abortable(this.#configuration, signal);
  }

  private async discover(): Promise<Configuration> {
    const { issuer, clientId, allowHttp, timeoutMs } = this.options;
    assertAllowedEndpoint(issuer, 'issuer', allowHttp);
    const config = await discovery(new URL(issuer), clientId, {}, await this.clientAuth(), {
      [customFetch]: this.guardedFetch(),
      // openid-client counts whole seconds; the real per-request deadline (timeoutMs, in ms) is
      // guardedFetch's. This is only a backstop behind it.
      timeout: Math.ceil(timeoutMs / 1000) + 1,
      execute: allowHttp ? [allowInsecureRequests] : [],
    });
    const metadata = config.serverMetadata();
    if (metadata.issuer !== issuer) throw new IssuerMismatchError(issuer);
    if (typeof metadata.token_endpoint !== 'string') {
      throw new TokenEndpointUnavailableError('the discovery document names no token_endpoint');
    }
    assertAllowedEndpoint(metadata.token_endpoint, 'token_endpoint', allowHttp);
    return config;
  }

  private async clientAuth(): Promise<ClientAuth> {
    switch (this.options.clientAuth) {
      case 'client_secret_basic':
        return ClientSecretBasic(this.#secret);
      case 'client_secret_post':
        return ClientSecretPost(this.#secret);
      case 'none':
        return None();
      case 'private_key_jwt': {
        const key = this.#privateKey;
        if (key && !isCryptoKey(key)) {
          const imported = await importJWK(key, key.alg);
          if (!isCryptoKey(imported))
            throw new TypeError('privateKey must be an asymmetric private JWK.');
          return PrivateKeyJwt({ key: imported, kid: key.kid });
        }
        return PrivateKeyJwt(key as CryptoKey);
      }
    }
  }

  private guardedFetch(): CustomFetch {
    const fetchImpl = this.deps.fetch ?? globalThis.fetch;
    const { allowHttp, timeoutMs } = this.options;
    return async (url, init) => {
      assertAllowedEndpoint(url, 'endpoint', allowHttp);
      const context = this.#runs.getStore();
      if (context) context.sent.push(...sentCredentials(init));
      // A wall-clock deadline on the whole exchange, body included: it bounds real waiting on a
      // socket, so it does not follow the injected clock (which drives expiry).
      const deadline = AbortSignal.timeout(timeoutMs);
      const signals = [deadline, context?.signal, init.signal ?? undefined].filter(
        (signal): signal is AbortSignal => signal !== undefined,
      );
      const signal = AbortSignal.any(signals);
      try {
        const response = await fetchImpl(url, { ...init, redirect: 'manual', signal });
        if (response.status >= 300 && response.status < 400) {
          await response.body?.cancel().catch(() => undefined);
          throw new TokenEndpointUnavailableError(
            'the endpoint answered with a redirect, which is never followed',
            response.status,
          );
        }
        return await buffered(response);
      } catch (error) {
        if (deadline.aborted && !context?.signal?.aborted) {
          throw new TokenEndpointUnavailableError(`the request timed out after ${timeoutMs} ms`);
        }
        throw error;
      }
    };
  }

  private mapError(
    error: unknown,
    phase: 'discovery' | 'token',
    signal?: AbortSignal,
    sent: readonly string[] = [],
  ): unknown {
    return toTokenError(error, {
      phase,
      issuer: this.options.issuer,
      signal,
      now: this.deps.clock.now(),
      credentials: sent,
    });
  }
}

/** Largest discovery or token response body read. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * The response with its body read in full (within the deadline, up to 1 MiB), so that
 * openid-client's own reading of it cannot stall past the deadline.
 */
async function buffered(response: Response): Promise<Response> {
  const noBody = [101, 204, 205, 304].includes(response.status);
  const body = response.body;
  const bytes = await readCappedBody(body as AsyncIterable<Uint8Array> | null, {
    limitBytes: MAX_RESPONSE_BYTES,
    declaredLength: response.headers.get('content-length'),
    tooLarge: () => new TokenEndpointUnavailableError('the response is too large', response.status),
    discard: () => body?.cancel(),
  });
  return new Response(noBody ? null : bytes, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/** One {@link OpenIdConnection.run}: the caller's signal and the credentials its requests sent. */
interface RunContext {
  readonly signal: AbortSignal | undefined;
  readonly sent: string[];
}

/** Form parameters that carry no credential; every other parameter's value is one. */
const NON_CREDENTIAL_PARAMETERS = new Set([
  'grant_type',
  'scope',
  'resource',
  'audience',
  'client_id',
  'redirect_uri',
  'client_assertion_type',
  'token_type_hint',
  'requested_token_type',
  'subject_token_type',
  'actor_token_type',
]);

/**
 * Every credential a request carries (fail closed: any form value but the few known harmless
 * ones, and the `Authorization` / `DPoP` header values, Basic credentials decoded), so that what
 * the server says back can be scrubbed of them.
 */
function sentCredentials(init: RequestInit): string[] {
  const found: string[] = [];
  const body = init.body;
  const form =
    body instanceof URLSearchParams
      ? body
      : typeof body === 'string'
        ? new URLSearchParams(body)
        : undefined;
  for (const [name, value] of form ?? []) {
    if (!NON_CREDENTIAL_PARAMETERS.has(name) && value) found.push(value);
  }
  const headers = new Headers(init.headers);
  for (const name of ['authorization', 'dpop']) {
    const value = headers.get(name);
    if (!value) continue;
    const [scheme, credentials = ''] = value.split(/\s+/, 2);
    found.push(value, credentials);
    if (scheme?.toLowerCase() === 'basic') found.push(...basicParts(credentials));
  }
  return found.filter(Boolean);
}

/** The client id and secret of Basic credentials, as sent (form-encoded) and decoded. */
function basicParts(credentials: string): string[] {
  const decoded = Buffer.from(credentials, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return [decoded];
  const secret = decoded.slice(colon + 1);
  return [decoded, secret, safeDecode(secret)];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function isCryptoKey(value: unknown): value is CryptoKey {
  // Tag check rather than instanceof: keys may come from another realm (vm contexts, jest).
  return Object.prototype.toString.call(value) === '[object CryptoKey]';
}
