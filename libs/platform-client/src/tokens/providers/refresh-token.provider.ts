import { refreshTokenGrant } from 'openid-client';
import { ReauthRequiredError } from '../../errors/reauth-required.error.js';
import { type Clock, systemClock } from '../../shared/clock.js';
import { RetiredRefreshTokens } from '../retired-refresh-tokens.js';
import { tokenFingerprint } from '../../shared/token-fingerprint.js';
import { normaliseScopes, type TokenCacheKey } from '../token-cache-key.js';
import { type AcquireOptions, TokenProvider } from '../token-provider.port.js';
import type { TokenSet } from '../../shared/token-set.js';
import type { TokenProviderDeps } from './client-credentials.provider.js';
import {
  type OAuthClientOptions,
  resolveOAuthClientOptions,
  type ResolvedOAuthClientOptions,
} from './oauth-provider.options.js';
import { optionalString } from './option-checks.js';
import { OpenIdConnection } from './openid-connection.js';
import { describeOAuthProvider, REDACTED } from './provider-description.js';
import { toTokenSet } from './token-response.js';

/** Options of {@link RefreshTokenProvider}. */
export interface RefreshTokenOptions extends OAuthClientOptions {
  /**
   * The initial refresh token. Once the server rotates it, the cached (rotated) one is used
   * instead; it may be omitted when the cache already holds one (e.g. after a CLI login).
   */
  readonly refreshToken?: string;
  /**
   * Whose tokens these are, for the cache key.
   * @default a SHA-256 fingerprint of the initial refresh token (so two users never share a key)
   */
  readonly subject?: string;
  /** Requested scopes (only to narrow the grant; omitted, the server keeps the granted ones). */
  readonly scope?: string | readonly string[];
}

/**
 * OAuth 2.0 refresh token grant through openid-client. Uses the cached refresh token when there
 * is one, else the configured one; a rotated refresh token in the response replaces it (and is
 * stored by the token manager), and a response without one keeps the old one. `invalid_grant`
 * is `ReauthRequiredError` (never retried; the manager purges the cached refresh token). A refresh
 * token the server rejected or rotation replaced is never presented again (the provider's own
 * memory, and `AcquireOptions.isRetired` for those retired elsewhere): with none left, it fails
 * with `ReauthRequiredError` without a request, until a new refresh token is configured or cached.
 * @see RFC 6749 §6, OAuth 2.0 Security BCP §4.14 (rotation)
 */
export class RefreshTokenProvider extends TokenProvider {
  readonly cacheKey: TokenCacheKey;
  readonly #connection: OpenIdConnection;
  readonly #options: ResolvedOAuthClientOptions;
  readonly #refreshToken?: string;
  readonly #clock: Clock;
  readonly #scopes: string[];
  /** Refresh tokens this provider saw rejected or replaced (fingerprints only). */
  readonly #retired = new RetiredRefreshTokens();
  readonly #dpop: boolean;

  constructor(options: RefreshTokenOptions, deps: TokenProviderDeps = {}) {
    super();
    const path = deps.optionPath ?? 'provider';
    this.#options = resolveOAuthClientOptions(options, path);
    this.#refreshToken = optionalString(options.refreshToken, `${path}.refreshToken`);
    const subject = optionalString(options.subject, `${path}.subject`);
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
      grant: 'refresh_token',
      resource: this.#options.audience,
      scopes: this.#scopes,
      ...(deps.dpop ? { jkt: deps.dpop.jkt } : {}),
      subject: subject ?? (this.#refreshToken ? fingerprint(this.#refreshToken) : undefined),
    };
  }

  async acquire({
    signal,
    current,
    isRetired,
    retire,
    presenting,
  }: AcquireOptions): Promise<TokenSet> {
    const usable = (token: string | undefined) =>
      token !== undefined && !this.#retired.has(token) && !isRetired?.(token) ? token : undefined;
    // The cached (possibly rotated) refresh token first, the configured one as a fallback; one
    // that the server rejected or rotation replaced is never presented again (reuse is theft
    // to the server, which then revokes the whole grant).
    const refreshToken = usable(current?.refreshToken) ?? usable(this.#refreshToken);
    if (!refreshToken) {
      const anyKnown = current?.refreshToken ?? this.#refreshToken;
      throw new ReauthRequiredError(
        anyKnown
          ? 'the refresh token was rejected or replaced by rotation'
          : 'none is cached or configured',
        true,
      );
    }
    const retireIt = () => {
      this.#retired.add(refreshToken);
      retire?.(refreshToken);
    };
    const parameters: Record<string, string> = {};
    if (this.#scopes.length > 0) parameters.scope = this.#scopes.join(' ');
    if (this.#options.audience) parameters.resource = this.#options.audience;
    let tokenSet: TokenSet;
    // A failure to record the presentation means nothing was sent: it passes unchanged.
    let notSent: { error: unknown } | undefined;
    try {
      tokenSet = await this.#connection.run(signal, async (config, dpop) => {
        await presenting?.(refreshToken).catch((error: unknown) => {
          notSent = { error };
          throw error;
        });
        const response = await refreshTokenGrant(config, refreshToken, parameters, dpop);
        return toTokenSet(
          response,
          this.#clock.now(),
          this.#options.defaultExpiresInS,
          refreshToken,
          current?.idToken,
          this.#dpop,
        );
      });
    } catch (error) {
      if (notSent) throw notSent.error;
      if (error instanceof ReauthRequiredError) retireIt();
      throw error;
    }
    if (tokenSet.refreshToken !== refreshToken) retireIt();
    return tokenSet;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `RefreshTokenProvider ${JSON.stringify(this.toJSON())}`;
  }

  /** A description with the secret, key and refresh token masked. */
  toJSON(): object {
    return describeOAuthProvider('refresh_token', this.#options, {
      ...(this.#refreshToken ? { refreshToken: REDACTED } : {}),
      ...(this.cacheKey.kind === 'oauth' && this.cacheKey.subject
        ? { subject: this.cacheKey.subject }
        : {}),
      ...(this.cacheKey.kind === 'oauth' && this.cacheKey.jkt
        ? { dpopJkt: this.cacheKey.jkt }
        : {}),
    });
  }
}

/** Builds a {@link RefreshTokenProvider}. */
export function refreshToken(
  options: RefreshTokenOptions,
  deps?: TokenProviderDeps,
): RefreshTokenProvider {
  return new RefreshTokenProvider(options, deps);
}

/** The default subject: `rt-sha256:…`, stable across versions (it is part of cache keys). */
function fingerprint(token: string): string {
  return `rt-${tokenFingerprint(token)}`;
}
