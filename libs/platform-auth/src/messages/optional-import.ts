/**
 * Imports an optional peer dependency by its public entry point: `undefined` when the package is
 * not installed, any other failure (a broken installation) rethrown.
 */
export async function optionalImport<T>(specifier: string): Promise<T | undefined> {
  try {
    return (await import(specifier)) as T;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const missing =
      (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
      String((error as Error).message).includes(specifier);
    if (missing) return undefined;
    throw error;
  }
}
