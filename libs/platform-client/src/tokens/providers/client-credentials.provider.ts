import { clientCredentialsGrant } from 'openid-client';
import type { DpopKey } from '../../dpop/dpop-key.js';
import { type Clock, systemClock } from '../../shared/clock.js';
import { normaliseScopes, type TokenCacheKey } from '../token-cache-key.js';
import { type AcquireOptions, TokenProvider } from '../token-provider.port.js';
import type { TokenSet } from '../../shared/token-set.js';
import {
  type OAuthClientOptions,
  resolveOAuthClientOptions,
  type ResolvedOAuthClientOptions,
} from './oauth-provider.options.js';
import { OpenIdConnection } from './openid-connection.js';
import { describeOAuthProvider } from './provider-description.js';
import { toTokenSet } from './token-response.js';

/** Options of {@link ClientCredentialsProvider}. */
export type ClientCredentialsOptions = OAuthClientOptions;

/** Transport and time for the OAuth token providers. */
export interface TokenProviderDeps {
  /** Used for discovery and token requests; must honour `redirect: 'manual'`. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Prefix of option paths in `TypeError` messages. @default 'provider' */
  readonly optionPath?: string;
  /**
   * Bind the tokens to this DPoP key (RFC 9449): token requests carry its proofs, the response
   * must be `token_type` DPoP, and the cache key includes its thumbprint.
   */
  readonly dpop?: DpopKey;
}

/**
 * OAuth 2.0 client credentials grant (machine-to-machine) through openid-client, with
 * `client_secret_basic`, `client_secret_post` or `private_key_jwt`.
 * @see RFC 6749 §4.4, RFC 7523 §2.2, RFC 8707
 */
export class ClientCredentialsProvider extends TokenProvider {
  readonly cacheKey: TokenCacheKey;
  readonly #connection: OpenIdConnection;
  readonly #options: ResolvedOAuthClientOptions;
  readonly #clock: Clock;
  readonly #scopes: string[];
  readonly #dpop: boolean;

  constructor(options: ClientCredentialsOptions, deps: TokenProviderDeps = {}) {
    super();
    this.#options = resolveOAuthClientOptions(options, deps.optionPath ?? 'provider');
    this.#clock = deps.clock ?? systemClock;
    this.#dpop = deps.dpop !== undefined;
    this.#connection = new OpenIdConnection(
      { ...this.#options, dpop: deps.dpop },
      {
        fetch: deps.fetch,
        clock: this.#clock,
      },
    );
    this.#scopes = normaliseScopes(this.#options.scope);
    this.cacheKey = {
      kind: 'oauth',
      issuer: this.#options.issuer,
      clientId: this.#options.clientId,
      grant: 'client_credentials',
      resource: this.#options.audience,
      scopes: this.#scopes,
      ...(deps.dpop ? { jkt: deps.dpop.jkt } : {}),
    };
  }

  acquire({ signal }: AcquireOptions): Promise<TokenSet> {
    const parameters: Record<string, string> = {};
    if (this.#scopes.length > 0) parameters.scope = this.#scopes.join(' ');
    if (this.#options.audience) parameters.resource = this.#options.audience;
    return this.#connection.run(signal, async (config, dpop) => {
      const response = await clientCredentialsGrant(config, parameters, dpop);
      return toTokenSet(
        response,
        this.#clock.now(),
        this.#options.defaultExpiresInS,
        undefined,
        undefined,
        this.#dpop,
      );
    });
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `ClientCredentialsProvider ${JSON.stringify(this.toJSON())}`;
  }

  /** A description with the secret and key masked. */
  toJSON(): object {
    return describeOAuthProvider(
      'client_credentials',
      this.#options,
      this.#dpop && this.cacheKey.kind === 'oauth' ? { dpopJkt: this.cacheKey.jkt } : {},
    );
  }
}

/**
 * Builds a {@link ClientCredentialsProvider}, in the style of openid-client's `ClientSecretPost()`.
 * @example
 * const provider = clientCredentials({
 *   issuer: 'https://id.example.com',
 *   clientId: 'billing-worker',
 *   clientSecret: process.env.BILLING_SECRET,
 *   scope: 'invoices:read',
 *   audience: 'https://api.example.com',
 * });
 */
export function clientCredentials(
  options: ClientCredentialsOptions,
  deps?: TokenProviderDeps,
): ClientCredentialsProvider {
  return new ClientCredentialsProvider(options, deps);
}
