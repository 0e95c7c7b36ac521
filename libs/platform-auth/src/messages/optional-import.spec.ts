import { describe, expect, it } from '@jest/globals';
import { optionalImport } from './optional-import.js';

describe('optionalImport', () => {
  it('loads an installed package through its public entry point', async () => {
    const microservices =
      await optionalImport<typeof import('@nestjs/microservices')>('@nestjs/microservices');
    expect(typeof microservices?.RpcException).toBe('function');
  });

  it('answers undefined for a package that is not installed', async () => {
    await expect(optionalImport('@nest-platform-test/not-installed')).resolves.toBeUndefined();
  });
});
