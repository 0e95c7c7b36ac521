import { JWT_ALGORITHMS } from './jose/algorithms.js';
import { resourceMetadataPath } from './metadata/resource-metadata-path.js';
import type { DefaultAccess } from './requirements/route-plan.js';
import type { ReplayStore } from './snapshots/replay-store.port.js';

/** DPoP (RFC 9449) on the resource server: see docs/dpop.md. */
export interface DpopOptions {
  /** @default true (giving the `dpop` object turns DPoP on) */
  enabled?: boolean;
  /**
   * Every protected HTTP route requires a DPoP-bound token (RFC 9728
   * `dpop_bound_access_tokens_required`); otherwise only `@RequireDpop()` routes do and the
   * others accept both schemes.
   * @default false
   */
  required?: boolean;
  /**
   * Proof algorithms accepted (asymmetric only).
   * @default ['ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'RS256', 'EdDSA', 'Ed25519']
   */
  algorithms?: string[];
  /** How long after its `iat` a proof is accepted, in seconds. @default 60 */
  proofMaxAgeS?: number;
  /** Clock skew tolerated on `iat` (past and future), in seconds. @default 5 */
  clockToleranceS?: number;
  /**
   * The public base URL the `htu` claim is compared with (scheme, host, port and any path
   * prefix the proxy adds), e.g. `https://api.example.com`. Without it the URL is rebuilt from
   * the request: `Host` and the socket's TLS state, or `X-Forwarded-Proto`/`X-Forwarded-Host`
   * when `trustProxy` is on.
   */
  publicBaseUrl?: string;
  /** Trust `X-Forwarded-Proto` and `X-Forwarded-Host` for `htu` (only behind your own proxy). @default false */
  trustProxy?: boolean;
  /**
   * Server nonces (RFC 9449 §9): proofs must carry the current nonce (`DPoP-Nonce`), refused
   * with `use_dpop_nonce` otherwise. Stateless (an HMAC of the time step); share `secret`
   * (at least 32 bytes) between replicas. `true`: a random per-process secret.
   * @default false
   */
  nonce?: boolean | { secret?: string | Uint8Array; rotationS?: number };
  /**
   * Where proof `jti`s are remembered (single use). The default is in-process; replicas need a
   * shared store. A store that fails or does not answer within `replayTimeoutMs` → 503.
   */
  replayStore?: ReplayStore;
  /** Bound on the replay store's answer, in ms. @default 1000 */
  replayTimeoutMs?: number;
}

/** Protected Resource Metadata (RFC 9728), served at `/.well-known/oauth-protected-resource…`. */
export interface ResourceMetadataOptions {
  /** The resource identifier (`resource`): an https URL without fragment or query. */
  resource: string;
  /** RFC 8414 issuer identifiers of the authorization servers (`authorization_servers`). */
  authorizationServers?: string[];
  /** `resource_name`. */
  resourceName?: string;
  /** `resource_documentation`. */
  resourceDocumentation?: string;
  /**
   * `resource_signing_alg_values_supported`: algorithms this resource signs *responses* with
   * (RFC 9728 §2). Omitted unless given: platform-auth signs no responses.
   */
  resourceSigningAlgValuesSupported?: string[];
}

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
  /** DPoP-bound access tokens (RFC 9449) beside bearer tokens: see {@link DpopOptions}. */
  dpop?: DpopOptions;
  /**
   * Serve RFC 9728 Protected Resource Metadata from this configuration and the route table, and
   * add `resource_metadata` to challenges. Off when absent.
   */
  resourceMetadata?: ResourceMetadataOptions;
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
  /** Absent when DPoP is off. */
  readonly dpop?: ResolvedDpopOptions;
  /** Absent when metadata is off. */
  readonly resourceMetadata?: ResolvedResourceMetadataOptions;
}

export interface ResolvedDpopOptions {
  readonly required: boolean;
  readonly algorithms: readonly string[];
  readonly proofMaxAgeS: number;
  readonly clockToleranceS: number;
  readonly publicBaseUrl?: string;
  readonly trustProxy: boolean;
  readonly nonce?: { readonly secret: Uint8Array; readonly rotationS: number };
  readonly replayStore?: ReplayStore;
  readonly replayTimeoutMs: number;
}

export interface ResolvedResourceMetadataOptions {
  readonly resource: string;
  /** The metadata URL (`resource_metadata` of challenges). */
  readonly metadataUrl: string;
  /** The path it is served at. */
  readonly path: string;
  readonly authorizationServers?: readonly string[];
  readonly resourceName?: string;
  readonly resourceDocumentation?: string;
  readonly resourceSigningAlgValuesSupported?: readonly string[];
}

const DEFAULT_DPOP_ALGORITHMS = [
  'ES256',
  'ES384',
  'ES512',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'EdDSA',
  'Ed25519',
];

const KNOWN_OPTIONS = new Set([
  'realm',
  'defaultAccess',
  'acceptQueryToken',
  'logRouteTable',
  'now',
  'snapshots',
  'dpop',
  'resourceMetadata',
]);

const DPOP_OPTIONS = new Set([
  'enabled',
  'required',
  'algorithms',
  'proofMaxAgeS',
  'clockToleranceS',
  'publicBaseUrl',
  'trustProxy',
  'nonce',
  'replayStore',
  'replayTimeoutMs',
]);
const METADATA_OPTIONS = new Set([
  'resource',
  'authorizationServers',
  'resourceName',
  'resourceDocumentation',
  'resourceSigningAlgValuesSupported',
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
  const dpop = resolveDpop(raw.dpop);
  const resourceMetadata = resolveMetadata(raw.resourceMetadata);
  return Object.freeze({
    realm,
    now,
    ...(dpop && { dpop }),
    ...(resourceMetadata && { resourceMetadata }),
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

function plainObject(
  value: unknown,
  name: string,
  known: ReadonlySet<string>,
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`PlatformAuthModule: option "${name}" must be an object.`);
  }
  for (const key of Object.keys(value)) {
    if (!known.has(key)) {
      throw new TypeError(
        `PlatformAuthModule: unknown option "${name}.${key}" (known: ${[...known].join(', ')}).`,
      );
    }
  }
  return value as Record<string, unknown>;
}

function positive(value: unknown, name: string, fallback: number, integer = false): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    (integer && !Number.isInteger(value))
  ) {
    throw new TypeError(`PlatformAuthModule: option "${name}" must be a non-negative number.`);
  }
  return value;
}

function resolveDpop(value: unknown): ResolvedDpopOptions | undefined {
  if (value === undefined) return undefined;
  const raw = plainObject(value, 'dpop', DPOP_OPTIONS) as DpopOptions;
  if (raw.enabled === false) return undefined;
  booleanOption(raw.enabled, 'dpop.enabled');
  const algorithms = raw.algorithms ?? DEFAULT_DPOP_ALGORITHMS;
  if (
    !Array.isArray(algorithms) ||
    algorithms.length === 0 ||
    !algorithms.every((alg) => (JWT_ALGORITHMS as readonly string[]).includes(alg))
  ) {
    throw new TypeError(
      `PlatformAuthModule: option "dpop.algorithms" must be a non-empty list of ${JWT_ALGORITHMS.join(', ')} (asymmetric only).`,
    );
  }
  let publicBaseUrl: string | undefined;
  if (raw.publicBaseUrl !== undefined) {
    const url =
      typeof raw.publicBaseUrl === 'string' && URL.canParse(raw.publicBaseUrl)
        ? new URL(raw.publicBaseUrl)
        : undefined;
    if (url === undefined || !/^https?:$/.test(url.protocol) || url.search || url.hash) {
      throw new TypeError(
        'PlatformAuthModule: option "dpop.publicBaseUrl" must be an http(s) URL without query or fragment.',
      );
    }
    publicBaseUrl = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  }
  let nonce: ResolvedDpopOptions['nonce'];
  if (raw.nonce !== undefined && raw.nonce !== false) {
    const config = raw.nonce === true ? {} : raw.nonce;
    if (typeof config !== 'object' || config === null) {
      throw new TypeError(
        'PlatformAuthModule: option "dpop.nonce" must be a boolean or an object.',
      );
    }
    const secret =
      config.secret === undefined
        ? crypto.getRandomValues(new Uint8Array(32))
        : typeof config.secret === 'string'
          ? new TextEncoder().encode(config.secret)
          : config.secret;
    if (!(secret instanceof Uint8Array) || secret.length < 32) {
      throw new TypeError(
        'PlatformAuthModule: option "dpop.nonce.secret" must have at least 32 bytes.',
      );
    }
    nonce = Object.freeze({
      secret,
      rotationS: positive(config.rotationS, 'dpop.nonce.rotationS', 60, true) || 60,
    });
  }
  if (raw.replayStore !== undefined && typeof raw.replayStore?.record !== 'function') {
    throw new TypeError('PlatformAuthModule: option "dpop.replayStore" must be a ReplayStore.');
  }
  return Object.freeze({
    required: booleanOption(raw.required, 'dpop.required'),
    algorithms: Object.freeze([...algorithms]),
    proofMaxAgeS: positive(raw.proofMaxAgeS, 'dpop.proofMaxAgeS', 60),
    clockToleranceS: positive(raw.clockToleranceS, 'dpop.clockToleranceS', 5),
    ...(publicBaseUrl !== undefined && { publicBaseUrl }),
    trustProxy: booleanOption(raw.trustProxy, 'dpop.trustProxy'),
    ...(nonce && { nonce }),
    ...(raw.replayStore !== undefined && { replayStore: raw.replayStore }),
    replayTimeoutMs: positive(raw.replayTimeoutMs, 'dpop.replayTimeoutMs', 1000),
  });
}

const PARAM_VALUE = /^[\x20\x21\x23-\x5B\x5D-\x7E]+$/;

function resolveMetadata(value: unknown): ResolvedResourceMetadataOptions | undefined {
  if (value === undefined) return undefined;
  const raw = plainObject(
    value,
    'resourceMetadata',
    METADATA_OPTIONS,
  ) as unknown as ResourceMetadataOptions;
  const url =
    typeof raw.resource === 'string' && URL.canParse(raw.resource)
      ? new URL(raw.resource)
      : undefined;
  if (
    url === undefined ||
    !/^https?:$/.test(url.protocol) ||
    url.hash ||
    url.search ||
    !PARAM_VALUE.test(raw.resource)
  ) {
    throw new TypeError(
      'PlatformAuthModule: option "resourceMetadata.resource" must be an http(s) URL without query or fragment.',
    );
  }
  const strings = (list: unknown, name: string): readonly string[] | undefined => {
    if (list === undefined) return undefined;
    if (!Array.isArray(list) || !list.every((v) => typeof v === 'string' && v.length > 0)) {
      throw new TypeError(
        `PlatformAuthModule: option "resourceMetadata.${name}" must be a list of strings.`,
      );
    }
    return Object.freeze([...(list as string[])]);
  };
  const text = (v: unknown, name: string) => {
    if (v !== undefined && (typeof v !== 'string' || v.length === 0)) {
      throw new TypeError(
        `PlatformAuthModule: option "resourceMetadata.${name}" must be a string.`,
      );
    }
    return v as string | undefined;
  };
  const signing = strings(
    raw.resourceSigningAlgValuesSupported,
    'resourceSigningAlgValuesSupported',
  );
  if (signing?.includes('none')) {
    throw new TypeError(
      'PlatformAuthModule: "none" is not a resource signing algorithm (RFC 9728 §2).',
    );
  }
  // RFC 9728 §3.1: the well-known string goes between the host and the path (no trailing "/").
  const path = resourceMetadataPath(raw.resource);
  const authorizationServers = strings(raw.authorizationServers, 'authorizationServers');
  const resourceName = text(raw.resourceName, 'resourceName');
  const resourceDocumentation = text(raw.resourceDocumentation, 'resourceDocumentation');
  return Object.freeze({
    resource: raw.resource,
    metadataUrl: `${url.origin}${path}`,
    path,
    ...(authorizationServers && { authorizationServers }),
    ...(resourceName !== undefined && { resourceName }),
    ...(resourceDocumentation !== undefined && { resourceDocumentation }),
    ...(signing && { resourceSigningAlgValuesSupported: signing }),
  });
}
