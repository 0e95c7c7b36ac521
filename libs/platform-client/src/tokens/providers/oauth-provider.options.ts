import { isAllowedEndpoint } from './endpoint-policy.js';
import type { ClientAuthMethod, ClientPrivateKey } from './openid-connection.js';
import {
  oneOf,
  optionalBoolean,
  optionalPositive,
  optionalScope,
  optionalString,
  requireString,
} from './option-checks.js';

/** Options shared by the OAuth token providers (client credentials, refresh token). */
export interface OAuthClientOptions {
  /** Issuer identifier; its discovery document must name exactly this issuer. */
  readonly issuer: string;
  readonly clientId: string;
  /** For `client_secret_basic` / `client_secret_post`. Never cached, logged or serialised. */
  readonly clientSecret?: string;
  /**
   * @default 'client_secret_basic' with a secret, 'private_key_jwt' with a private key,
   *   otherwise 'none' (public client)
   */
  readonly clientAuth?: ClientAuthMethod;
  /** For `private_key_jwt`: a private JWK (with `alg`) or a CryptoKey. */
  readonly privateKey?: ClientPrivateKey;
  /** Requested scopes; order and duplicates do not matter. */
  readonly scope?: string | readonly string[];
  /** The API the token is for, sent as the RFC 8707 `resource` parameter. */
  readonly audience?: string;
  /**
   * Allows `http://` issuer and endpoints on loopback IP literals (127.0.0.0/8, `[::1]`; not
   * `localhost`), for local development and tests. Other hosts always need https.
   * @default false
   */
  readonly allowHttp?: boolean;
  /**
   * Deadline of each discovery and token request, in milliseconds (wall clock, the response body
   * included); a request past it fails with `TOKEN_ENDPOINT_UNAVAILABLE`.
   * @default 30_000
   */
  readonly timeoutMs?: number;
  /** Lifetime assumed when the token response has no `expires_in`. @default 300 */
  readonly defaultExpiresInS?: number;
}

/** Validated {@link OAuthClientOptions} with defaults applied. */
export interface ResolvedOAuthClientOptions extends OAuthClientOptions {
  readonly clientAuth: ClientAuthMethod;
  readonly allowHttp: boolean;
  readonly timeoutMs: number;
  readonly defaultExpiresInS: number;
}

const CLIENT_AUTH_METHODS: readonly ClientAuthMethod[] = [
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
  'none',
];

/** Validates at construction (no I/O); `TypeError`s name `path.<option>`. */
export function resolveOAuthClientOptions(
  options: OAuthClientOptions,
  path: string,
): ResolvedOAuthClientOptions {
  const issuer = requireString(options.issuer, `${path}.issuer`);
  requireString(options.clientId, `${path}.clientId`);
  const clientSecret = optionalString(options.clientSecret, `${path}.clientSecret`);
  const allowHttp = optionalBoolean(options.allowHttp, `${path}.allowHttp`) ?? false;
  if (!isAllowedEndpoint(issuer, allowHttp)) {
    throw new TypeError(
      `${path}.issuer must be an https:// URL (http:// only on a loopback IP literal such as ` +
        `127.0.0.1 or [::1], not localhost, with ${path}.allowHttp: true).`,
    );
  }
  const privateKey = options.privateKey;
  if (privateKey !== undefined && (typeof privateKey !== 'object' || privateKey === null)) {
    throw new TypeError(`${path}.privateKey must be a private JWK or a CryptoKey.`);
  }
  const clientAuth =
    options.clientAuth === undefined
      ? clientSecret
        ? 'client_secret_basic'
        : privateKey
          ? 'private_key_jwt'
          : 'none'
      : oneOf(options.clientAuth, CLIENT_AUTH_METHODS, `${path}.clientAuth`);
  if (clientAuth.startsWith('client_secret') && !clientSecret) {
    throw new TypeError(`${path}.clientSecret is required with clientAuth '${clientAuth}'.`);
  }
  if (clientAuth === 'private_key_jwt' && !privateKey) {
    throw new TypeError(`${path}.privateKey is required with clientAuth 'private_key_jwt'.`);
  }
  optionalScope(options.scope, `${path}.scope`);
  const audience = optionalString(options.audience, `${path}.audience`);
  if (audience !== undefined && !URL.canParse(audience)) {
    throw new TypeError(`${path}.audience must be an absolute URI (RFC 8707 resource).`);
  }
  return {
    ...options,
    clientAuth,
    allowHttp,
    timeoutMs: optionalPositive(options.timeoutMs, `${path}.timeoutMs`) ?? 30_000,
    defaultExpiresInS:
      optionalPositive(options.defaultExpiresInS, `${path}.defaultExpiresInS`) ?? 300,
  };
}
