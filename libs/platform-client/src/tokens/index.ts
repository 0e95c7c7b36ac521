export { TokenProvider, type AcquireOptions } from './token-provider.port.js';
export { type TokenCacheKey, normaliseScopes, serialiseCacheKey } from './token-cache-key.js';
export { TokenManager, type TokenManagerOptions, type TokenLogger } from './token-manager.js';
export {
  createAccessTokenSource,
  type TokenCacheOptions,
  type TokenProviderOptions,
  type TokenSourceDeps,
  type TokenSourceOptions,
} from './token-source.factory.js';
export {
  clientCredentials,
  ClientCredentialsProvider,
  type ClientCredentialsOptions,
  type TokenProviderDeps,
} from './providers/client-credentials.provider.js';
export {
  refreshToken,
  RefreshTokenProvider,
  type RefreshTokenOptions,
} from './providers/refresh-token.provider.js';
export {
  externalToken,
  ExternalTokenProvider,
  type ExternalTokenOptions,
} from './providers/external-token.provider.js';
export { type OAuthClientOptions } from './providers/oauth-provider.options.js';
export { type ClientAuthMethod, type ClientPrivateKey } from './providers/openid-connection.js';
