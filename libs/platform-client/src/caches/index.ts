export { TokenCache, type TokenCacheLockOptions } from './token-cache.port.js';
export { type TokenCacheEntry } from './token-cache-entry.js';
export { MemoryTokenCache } from './memory-token-cache.js';
export { FileTokenCache, type FileTokenCacheOptions } from './file-token-cache.js';
