import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * Each entry of both packages, imported alone in a fresh Node process from the built `dist/`
 * (as an app imports it), loads only what it is for: the auth core nothing vendor-specific, and
 * no entry an optional peer dependency that belongs to another entry. Also: the packages'
 * `exports` and the repo's path aliases name the same entries.
 */
const run = promisify(execFile);
const repo = fileURLToPath(new URL('../..', import.meta.url));
const loader = fileURLToPath(new URL('./fixtures/load-entry.mjs', import.meta.url));

interface PackageJson {
  name: string;
  exports: Record<string, unknown>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
}
const readJson = <T>(path: string): T => JSON.parse(readFileSync(`${repo}/${path}`, 'utf8')) as T;
const auth = readJson<PackageJson>('libs/platform-auth/package.json');
const client = readJson<PackageJson>('libs/platform-client/package.json');
const { paths } = readJson<{ compilerOptions: { paths: Record<string, string[]> } }>(
  'tsconfig.json',
).compilerOptions;

/** Vendor libraries the auth core must not load (its JWT/OIDC lives behind `/jwt`). */
const VENDOR = ['jose', 'openid-client', 'oauth4webapi'];

/** The optional peers each entry may load: the ones it exists for, and no other. */
const ALLOWED_OPTIONAL: Record<string, readonly string[]> = {
  '@nest-platform/auth': [],
  '@nest-platform/auth/jwt': [],
  '@nest-platform/auth/health': ['@nestjs/terminus'],
  '@nest-platform/auth/config': ['@nestjs/config', 'class-validator', 'class-transformer'],
  '@nest-platform/auth/snapshots': [],
  '@nest-platform/auth/microservices': ['@nestjs/microservices'],
  '@nest-platform/auth/ws': ['@nestjs/websockets', '@nestjs/platform-ws'],
  '@nest-platform/auth/graphql': ['@nestjs/graphql', 'graphql'],
  '@nest-platform/auth/testing': ['@nestjs/testing'],
  '@nest-platform/auth/redis': ['ioredis'],
  '@nest-platform/client': [],
  '@nest-platform/client/login': [],
  '@nest-platform/client/health': ['@nestjs/terminus'],
  '@nest-platform/client/config': ['@nestjs/config', 'class-validator', 'class-transformer'],
  '@nest-platform/client/redis': ['ioredis'],
};

const entriesOf = (pkg: PackageJson) =>
  Object.keys(pkg.exports)
    .filter((key) => key !== './package.json')
    .map((key) => (key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`));
const optionalPeers = new Set(
  [auth, client].flatMap((pkg) =>
    Object.entries(pkg.peerDependenciesMeta)
      .filter(([, meta]) => meta.optional === true)
      .map(([name]) => name),
  ),
);

async function packagesLoadedBy(entry: string): Promise<string[]> {
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // Jest's --experimental-vm-modules is not an app's
  const { stdout } = await run(process.execPath, [loader, entry], { cwd: repo, env });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as string[];
}

describe('package entry points', () => {
  it("the packages' exports and the repo's path aliases list the same entries", () => {
    expect([...entriesOf(auth), ...entriesOf(client)].sort()).toEqual(Object.keys(paths).sort());
    expect(Object.keys(ALLOWED_OPTIONAL).sort()).toEqual(Object.keys(paths).sort());
  });

  it('the auth core loads no vendor library (no jose, openid-client)', async () => {
    const loaded = await packagesLoadedBy('@nest-platform/auth');
    expect(loaded).toContain('@nestjs/core'); // the probe saw the import at all
    expect(loaded.filter((name) => VENDOR.includes(name))).toEqual([]);
  });

  it.each(Object.entries(ALLOWED_OPTIONAL))(
    '%s loads no optional peer but its own',
    async (entry, allowed) => {
      const loaded = await packagesLoadedBy(entry);
      expect(loaded).toContain(
        entry.startsWith('@nest-platform/auth') ? '@nest-platform/auth' : '@nest-platform/client',
      );
      const foreign = loaded.filter((name) => optionalPeers.has(name) && !allowed.includes(name));
      expect(foreign).toEqual([]);
    },
  );
});
