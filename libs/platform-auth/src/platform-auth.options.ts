import type { DefaultAccess } from './requirements/route-plan.js';

/** Options of `PlatformAuthModule.forRoot()` / `forRootAsync()`. */
export interface PlatformAuthModuleOptions {
  /**
   * The `realm` of every `WWW-Authenticate` challenge (RFC 6750 §3). Printable ASCII without
   * `"` or `\`.
   * @default 'api'
   */
  realm?: string;
  /**
   * What a route without `@Public()`, `@Protected()` or a requirement is. Keep `'protected'`
   * unless every controller is explicitly decorated.
   * @default 'protected'
   */
  defaultAccess?: DefaultAccess;
  /**
   * Accept a bearer token in the `access_token` query parameter (RFC 6750 §2.3). Off by default:
   * URLs end up in logs and browser history (RFC 9700 §4.3.2). A token in both the header and
   * the query is a 400 whatever this says.
   * @default false
   */
  acceptQueryToken?: boolean;
  /**
   * Log the resolved per-route table (route, requirements, providers) at boot.
   * `app.get(AuthRouteRegistry).format()` returns the same text.
   * @default false
   */
  logRouteTable?: boolean;
  /**
   * Time source (epoch ms), for tests: the guard checks with it that the context bound to a
   * WebSocket connection has not expired.
   * @default Date.now
   */
  now?: () => number;
  /** Auth-context snapshot propagation (see `AuthSnapshotModule` and docs/snapshots.md). */
  snapshots?: {
    /**
     * When on, boot requires exactly one `SnapshotSign` and one `SnapshotVerify` provider.
     * @default false
     */
    enabled?: boolean;
    /**
     * Every protected HTTP route accepts a snapshot (`x-platform-auth-snapshot`) instead of a
     * bearer token, unless it says `@AcceptSnapshot(false)`. Off: only `@AcceptSnapshot()`
     * routes do. Message handlers always take snapshots.
     * @default false
     */
    acceptOnHttp?: boolean;
  };
}

/** Options after validation and defaults. */
export interface ResolvedPlatformAuthOptions {
  readonly realm: string;
  readonly defaultAccess: DefaultAccess;
  readonly acceptQueryToken: boolean;
  readonly logRouteTable: boolean;
  readonly snapshots: { readonly enabled: boolean; readonly acceptOnHttp: boolean };
  readonly now: () => number;
}

const KNOWN_OPTIONS = new Set([
  'realm',
  'defaultAccess',
  'acceptQueryToken',
  'logRouteTable',
  'now',
  'snapshots',
]);
const REALM = /^[\x20\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * Validates options and applies defaults.
 * @throws TypeError naming the offending option.
 */
export function resolvePlatformAuthOptions(
  options: PlatformAuthModuleOptions | undefined,
): ResolvedPlatformAuthOptions {
  const raw: PlatformAuthModuleOptions = options ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new TypeError('PlatformAuthModule: options must be an object.');
  }
  for (const key of Object.keys(raw)) {
    if (!KNOWN_OPTIONS.has(key)) {
      throw new TypeError(
        `PlatformAuthModule: unknown option "${key}" (known: ${[...KNOWN_OPTIONS].join(', ')}).`,
      );
    }
  }
  const realm = raw.realm ?? 'api';
  if (typeof realm !== 'string' || !REALM.test(realm)) {
    throw new TypeError(
      "PlatformAuthModule: option \"realm\" must be non-empty printable ASCII without '\"' or '\\'.",
    );
  }
  const defaultAccess = raw.defaultAccess ?? 'protected';
  if (defaultAccess !== 'protected' && defaultAccess !== 'public') {
    throw new TypeError(
      'PlatformAuthModule: option "defaultAccess" must be "protected" or "public".',
    );
  }
  const snapshots = raw.snapshots === undefined ? {} : raw.snapshots;
  if (typeof snapshots !== 'object' || snapshots === null) {
    throw new TypeError('PlatformAuthModule: option "snapshots" must be an object.');
  }
  for (const key of Object.keys(snapshots)) {
    if (key !== 'enabled' && key !== 'acceptOnHttp') {
      throw new TypeError(
        `PlatformAuthModule: unknown option "snapshots.${key}" (known: enabled, acceptOnHttp).`,
      );
    }
  }
  const now = raw.now ?? Date.now;
  if (typeof now !== 'function') {
    throw new TypeError('PlatformAuthModule: option "now" must be a function.');
  }
  return Object.freeze({
    realm,
    now,
    defaultAccess,
    acceptQueryToken: booleanOption(raw.acceptQueryToken, 'acceptQueryToken'),
    logRouteTable: booleanOption(raw.logRouteTable, 'logRouteTable'),
    snapshots: Object.freeze({
      enabled: booleanOption(snapshots.enabled, 'snapshots.enabled'),
      acceptOnHttp: booleanOption(snapshots.acceptOnHttp, 'snapshots.acceptOnHttp'),
    }),
  });
}

function booleanOption(value: unknown, name: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') {
    throw new TypeError(`PlatformAuthModule: option "${name}" must be a boolean.`);
  }
  return value;
}
