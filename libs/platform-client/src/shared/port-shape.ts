/**
 * Structural checks for the client's ports. Ports are abstract classes, and the docs invite
 * `class MyCache implements TokenCache`: such a class is a valid implementation without
 * extending the port, so ports are recognised by shape, never with `instanceof`.
 */

/** The names of `methods` that `value` does not have as functions (own or inherited). */
export function missingMethods(value: object, methods: readonly string[]): string[] {
  return methods.filter((name) => typeof (value as Record<string, unknown>)[name] !== 'function');
}

/** `a(), b()`: the missing methods as a message fragment. */
export function listMethods(names: readonly string[]): string {
  return names.map((name) => `${name}()`).join(', ');
}

/** Whether `value` has at least one of `methods` as a function: it was meant as that port. */
export function hasAnyMethod(value: object, methods: readonly string[]): boolean {
  return missingMethods(value, methods).length < methods.length;
}
