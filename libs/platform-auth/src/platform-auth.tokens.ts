/** Internal token of the validated options (`ResolvedPlatformAuthOptions`). */
export const PLATFORM_AUTH_OPTIONS = Symbol('platform-auth:options');
