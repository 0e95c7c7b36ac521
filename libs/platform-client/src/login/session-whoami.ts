import { decodeJwt } from 'jose';
import {
  type Configuration,
  fetchUserInfo,
  refreshTokenGrant,
  ResponseBodyError,
  skipSubjectCheck,
  WWWAuthenticateChallengeError,
} from 'openid-client';
import type { TokenCache } from '../caches/token-cache.port.js';
import { PlatformClientError } from '../errors/platform-client.error.js';
import { scrubCredentials } from '../secrets/scrub-credentials.js';
import type { Clock } from '../shared/clock.js';
import type { OpenIdConnection } from '../tokens/providers/openid-connection.js';
import { toTokenSet } from '../tokens/providers/token-response.js';
import { RetiredRefreshTokens } from '../tokens/retired-refresh-tokens.js';
import type { TokenSet } from '../shared/token-set.js';
import { describeIdentity, type LoginIdentity } from './login-identity.js';

/** The OpenID Connect scopes that concern the userinfo endpoint. @see OIDC Core §5.4 */
const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'address', 'phone']);

/** What {@link whoamiIdentity} needs from the session. */
export interface WhoamiContext {
  readonly issuer: string;
  readonly connection: OpenIdConnection;
  readonly cache: TokenCache;
  /** The session's storage key in `cache`. */
  readonly key: string;
  readonly clock: Clock;
  /** The session's scopes, space-separated. */
  readonly scope: string;
  readonly defaultExpiresInS: number;
}

type UserInfoAnswer = { claims: Record<string, unknown> } | { problem: string; retry?: boolean };

/**
 * Who is logged in: the session's claims (for `accessToken`, a valid access token of it),
 * completed by the issuer's userinfo endpoint when it answers. Its failure is reported in
 * `userInfo`, never thrown.
 *
 * An access token minted for an API (RFC 8707 `resource`) may be refused at userinfo, as
 * oidc-provider does (`invalid_token`: the audience is the API, not the issuer). Then, when the
 * session has a refresh token and OpenID scopes, one refresh token grant asks for the OpenID
 * scopes only and no `resource` — oidc-provider answers with an access token for userinfo — and
 * userinfo is asked again with it. That token is used once and not kept; a rotated refresh token
 * from that response replaces the cached one (under the cache lock), so the session stays valid.
 * @see OIDC Core §5.3, RFC 8707 §2.2
 */
export async function whoamiIdentity(
  context: WhoamiContext,
  accessToken: string,
  signal?: AbortSignal,
  askUserInfo = true,
): Promise<LoginIdentity> {
  const entry = await context.cache.get(context.key);
  const tokenSet: TokenSet =
    entry && entry.tokenSet.accessToken === accessToken
      ? entry.tokenSet
      : { accessToken, tokenType: 'Bearer', expiresAt: context.clock.now() };
  if (!askUserInfo) return describeIdentity(context.issuer, tokenSet, undefined);
  let answer: UserInfoAnswer;
  try {
    answer = await context.connection.run(signal, async (config) => {
      if (!config.serverMetadata().userinfo_endpoint) {
        return { problem: 'the issuer has no userinfo endpoint' };
      }
      const first = await userInfoFor(config, accessToken, tokenSet.idToken);
      if (!('retry' in first) || !first.retry) return first;
      const openIdScope = context.scope.split(' ').filter((s) => OIDC_SCOPES.has(s));
      if (!tokenSet.refreshToken || !openIdScope.includes('openid')) return first;
      const userInfoToken = await tokenForUserInfo(context, config, openIdScope.join(' '), signal);
      if (!userInfoToken) return first;
      return userInfoFor(config, userInfoToken, tokenSet.idToken);
    });
  } catch (error) {
    answer = { problem: error instanceof PlatformClientError ? error.code : 'unexpected failure' };
  }
  const claims = 'claims' in answer ? answer.claims : undefined;
  const problem = 'problem' in answer ? answer.problem : undefined;
  // Re-read: a rotated refresh token was stored meanwhile.
  const latest = await context.cache.get(context.key);
  const shown =
    latest && latest.tokenSet.accessToken === tokenSet.accessToken ? latest.tokenSet : tokenSet;
  return describeIdentity(context.issuer, shown, claims, problem);
}

async function userInfoFor(
  config: Configuration,
  accessToken: string,
  idToken: string | undefined,
): Promise<UserInfoAnswer> {
  try {
    return { claims: await fetchUserInfo(config, accessToken, subjectOf(idToken)) };
  } catch (error) {
    if (error instanceof WWWAuthenticateChallengeError) {
      const code = error.cause.find((c) => c.parameters.error)?.parameters.error;
      return {
        problem: `the userinfo endpoint rejected the access token (HTTP ${error.status}${code ? `, ${safe(code, accessToken)}` : ''})`,
        retry: error.status === 401,
      };
    }
    if (error instanceof ResponseBodyError) {
      return {
        problem: `the userinfo endpoint answered ${safe(error.error, accessToken)} (HTTP ${error.status})`,
      };
    }
    return { problem: 'the userinfo endpoint could not be used' };
  }
}

/**
 * A refresh token grant for the OpenID scopes only, without `resource`, under the session's
 * lock; stores a rotated refresh token. `undefined` when it fails (the first problem is reported).
 */
async function tokenForUserInfo(
  context: WhoamiContext,
  config: Configuration,
  scope: string,
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  const { cache, key } = context;
  return cache
    .withLock(
      key,
      async () => {
        const current = await cache.get(key);
        const refreshToken = current?.tokenSet.refreshToken;
        if (!current || !refreshToken) return undefined;
        const response = await refreshTokenGrant(config, refreshToken, { scope });
        const userInfoSet = toTokenSet(response, context.clock.now(), context.defaultExpiresInS);
        if (userInfoSet.refreshToken && userInfoSet.refreshToken !== refreshToken) {
          // Rotation replaced the session's refresh token: never present the old one again.
          const retired = new RetiredRefreshTokens();
          retired.addFingerprints(current.retiredRefreshTokens);
          retired.add(refreshToken);
          await cache.set(key, {
            ...current,
            tokenSet: { ...current.tokenSet, refreshToken: userInfoSet.refreshToken },
            retiredRefreshTokens: retired.toArray(),
          });
        }
        return userInfoSet.accessToken;
      },
      { signal },
    )
    .catch(() => undefined);
}

function subjectOf(idToken: string | undefined): string | typeof skipSubjectCheck {
  if (!idToken) return skipSubjectCheck;
  try {
    const { sub } = decodeJwt(idToken);
    return typeof sub === 'string' ? sub : skipSubjectCheck;
  } catch {
    return skipSubjectCheck;
  }
}

/** An OAuth error code from the server, without the access token it was sent. */
function safe(text: string, accessToken: string): string {
  return scrubCredentials(text, [accessToken], 80) ?? 'unnamed_error';
}
