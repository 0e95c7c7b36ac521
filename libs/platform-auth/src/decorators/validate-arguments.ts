import { isDynamicRef, type RefValue } from '../requirements/dynamic-ref.js';
import type { ResourceRefSpec } from '../requirements/auth-requirement.js';

// RFC 6749 §3.3: scope-token = 1*NQCHAR (no space, no double quote, no backslash).
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\x00-\x1F\x7F]/;

/** @throws TypeError unless `values` is a non-empty list of valid scope tokens. */
export function assertScopes(
  decorator: string,
  values: readonly unknown[],
): asserts values is string[] {
  assertNonEmptyList(decorator, values);
  for (const value of values) {
    if (typeof value !== 'string' || !SCOPE_TOKEN.test(value)) {
      throw new TypeError(
        `${decorator}: ${JSON.stringify(value)} is not a scope token (RFC 6749 §3.3: printable ASCII, no space, '"' or '\\').`,
      );
    }
  }
}

/** @throws TypeError unless `values` is a non-empty list of names. */
export function assertNames(
  decorator: string,
  values: readonly unknown[],
): asserts values is string[] {
  assertNonEmptyList(decorator, values);
  for (const value of values) assertName(decorator, value);
}

/** @throws TypeError unless `value` is a non-empty string without surrounding space or control characters. */
export function assertName(
  decorator: string,
  value: unknown,
  what = 'value',
): asserts value is string {
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.trim() !== value ||
    CONTROL_CHARS.test(value)
  ) {
    throw new TypeError(
      `${decorator}: ${what} ${JSON.stringify(value)} must be a non-empty string without surrounding whitespace or control characters.`,
    );
  }
}

/** @throws TypeError unless `value` is a non-empty string or a dynamic ref (`param()`, `query()`, `body()`). */
export function assertRefValue(
  decorator: string,
  value: unknown,
  what: string,
): asserts value is RefValue {
  if (!isDynamicRef(value)) assertName(decorator, value, what);
}

/** @throws TypeError unless `value` is `{ type, id }` with a name and a ref value. */
export function assertResource(
  decorator: string,
  value: unknown,
  what: string,
): asserts value is ResourceRefSpec {
  if (value === null || typeof value !== 'object') {
    throw new TypeError(`${decorator}: ${what} must be an object { type, id }.`);
  }
  const { type, id } = value as Partial<ResourceRefSpec>;
  assertName(decorator, type, `${what}.type`);
  assertRefValue(decorator, id, `${what}.id`);
}

function assertNonEmptyList(decorator: string, values: readonly unknown[]): void {
  if (values.length === 0) {
    throw new TypeError(
      `${decorator}: expected at least one value; an empty list would protect nothing.`,
    );
  }
}
