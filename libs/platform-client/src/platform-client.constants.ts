import { PlatformClient } from './http/platform-client.js';

/** Internal token of the client a `PlatformClientModule` import builds (one per import). */
export const PLATFORM_CLIENT_INSTANCE = Symbol('platform-client:instance');

const NAME = /^[A-Za-z0-9][\w.:-]{0,63}$/;

/**
 * The injection token of a client: the `PlatformClient` class for the default (unnamed) client,
 * `'platform-client:client:<name>'` for a named one. Use it with `moduleRef.get()`; in
 * constructors, prefer `@InjectPlatformClient(name)`.
 * @throws TypeError when `name` is not 1–64 characters of letters, digits, `_ . : -`
 */
export function getPlatformClientToken(name?: string): typeof PlatformClient | string {
  if (name === undefined) return PlatformClient;
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new TypeError(
      'PlatformClientModule: option "name" must be 1-64 characters: letters, digits, "_", ".", ":", "-".',
    );
  }
  return `platform-client:client:${name}`;
}
