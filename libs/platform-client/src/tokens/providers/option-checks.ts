/** Argument checks whose `TypeError` names the option path (e.g. `client.token.provider.issuer`). */
export function requireString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`${path} must be a non-empty string.`);
  }
  return value;
}

export function optionalString(value: unknown, path: string): string | undefined {
  return value === undefined ? undefined : requireString(value, path);
}

export function optionalBoolean(value: unknown, path: string): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new TypeError(`${path} must be a boolean.`);
  }
  return value;
}

export function optionalPositive(value: unknown, path: string): number | undefined {
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)) {
    throw new TypeError(`${path} must be a positive number.`);
  }
  return value;
}

export function optionalScope(
  value: unknown,
  path: string,
): string | readonly string[] | undefined {
  const ok =
    value === undefined ||
    typeof value === 'string' ||
    (Array.isArray(value) && value.every((s) => typeof s === 'string'));
  if (!ok) throw new TypeError(`${path} must be a string or an array of strings.`);
  return value as string | readonly string[] | undefined;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (!allowed.includes(value as T)) {
    throw new TypeError(`${path} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}.`);
  }
  return value as T;
}
