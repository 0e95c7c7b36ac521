import { PlatformClientError } from './platform-client.error.js';

/**
 * The file token cache refused its directory or a cache file: a symbolic link, not owned by the
 * current user, or writable by group/others. Nothing was read from or written to it.
 */
export class InsecureCachePathError extends PlatformClientError<'INSECURE_CACHE_PATH'> {
  override readonly name = 'InsecureCachePathError';

  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(
      'INSECURE_CACHE_PATH',
      `Refusing the token cache path ${path}: ${reason}. Use a directory owned by this user ` +
        'with mode 0700 (it is created so when missing).',
    );
  }
}
