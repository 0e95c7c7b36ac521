import { inspect } from 'node:util';

/** What every masked value is replaced with. Never derived from the secret (no length, no prefix). */
export const MASK = '***';

/**
 * Keys whose values are secrets wherever they appear in an options object, a config or a header
 * map: tokens, secrets, passwords, private keys, API keys, `Authorization` / `Cookie` headers.
 */
const SENSITIVE_KEY =
  /(secret|token|password|encryption[-_]?keys?|passwd|private[-_]?key|api[-_]?key|authorization|cookie|credential|assertion|verifier|device[-_]?code|^code$|^key$|^d$|^p$|^q$|^dp$|^dq$|^qi$|^k$)/i;

/** `scheme://user:pass@host…`: a proxy or Redis URL with credentials. */
const URL_WITH_CREDENTIALS = /^[a-z][a-z\d+.-]*:\/\/[^/?#\s]*@/i;

/** Whether a property or header named `key` holds a secret. */
export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}

/**
 * A deep copy of `value` with every sensitive property masked (see {@link isSensitiveKey}),
 * functions shown as `[function]`, URLs stripped of credentials and query values, and cycles cut.
 * Use it before logging or serialising any options object.
 *
 * Only plain objects and arrays are walked. Any other object is shown through its own safe
 * serialisation: its `toJSON()` (redacted in turn), else its `util.inspect.custom`, else just
 * `[ClassName]`. So a token source, provider or cache is never walked into: the state they
 * hold (current and rejected tokens, refresh tokens) stays out of the output.
 *
 * @example
 * ```ts
 * logger.log(JSON.stringify(redactSecrets(options)));
 * ```
 */
export function redactSecrets(value: unknown, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'function') return '[function]';
  if (value instanceof URL) return redactUrl(value);
  if (typeof value === 'string' && URL_WITH_CREDENTIALS.test(value)) return redactUrl(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, seen));
  if (ArrayBuffer.isView(value)) return MASK;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return redactSecrets(toJSON.call(value), seen);
  if (!isPlainObject(value)) return ownDescription(value);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // A sensitive key masks a value; an object under it (token: { provider: … }) is walked.
    const masked = isSensitiveKey(key) && item !== undefined && !isPlainWalkable(item);
    out[key] = masked ? MASK : redactSecrets(item, seen);
  }
  return out;
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === null || prototype === Object.prototype;
}

/** A class instance without `toJSON`: its own `inspect` view, else its name; never its fields. */
function ownDescription(value: object): unknown {
  if (typeof (value as Record<symbol, unknown>)[inspect.custom] === 'function') {
    return inspect(value);
  }
  const name = (value.constructor as { name?: unknown } | undefined)?.name;
  const label = typeof name === 'string' && name !== '' ? name : 'object';
  const code = value instanceof Error ? (value as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? `[${label} ${code}]` : `[${label}]`;
}

function isPlainWalkable(value: unknown): boolean {
  return (
    typeof value === 'function' ||
    (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value))
  );
}

/**
 * `url` without user info, with every query value masked (query strings carry API keys and
 * codes) and without the fragment. Unparseable input gives `'[invalid url]'`.
 */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return '[invalid url]';
  }
  if (parsed.username || parsed.password) {
    parsed.username = MASK;
    parsed.password = '';
  }
  for (const key of [...new Set(parsed.searchParams.keys())]) parsed.searchParams.set(key, MASK);
  parsed.hash = '';
  return parsed.toString().replaceAll(encodeURIComponent(MASK), MASK);
}

/**
 * Makes `target`'s `JSON.stringify` and `util.inspect` (hence `console.log` and Nest's logger)
 * show {@link redactSecrets} of it, through non-enumerable `toJSON` and `inspect.custom`
 * methods. Returns `target`; its own properties are left intact for the code that needs them.
 */
export function withMaskedSerialization<T extends object>(target: T): T {
  Object.defineProperties(target, {
    toJSON: { value: () => redactSecrets({ ...target }), enumerable: false, configurable: true },
    [inspect.custom]: {
      value: (_depth: number, options: object, inspectFn: typeof inspect = inspect) =>
        inspectFn(redactSecrets({ ...target }), options),
      enumerable: false,
      configurable: true,
    },
  });
  return target;
}
