#!/usr/bin/env node
// Builds the sample app (`nest build sample`, which compiles the libs it imports) when its
// output is missing or older than any source or build configuration it depends on; otherwise
// does nothing (about 50 ms). Used by `npm run cli` (precli) and by the e2e project's Jest
// globalSetup, since the sample and CLI suites spawn the built app as a user would. CI builds
// before testing, so there this is only a freshness check.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// `nest build sample` emits both entry points; either missing means no usable build.
const outputs = ['main.js', 'cli/platform-sample.js'].map((file) =>
  join(root, 'dist/apps/sample/apps/sample/src', file),
);
const sources = ['apps/sample/src', 'libs/platform-auth/src', 'libs/platform-client/src'];
const configs = ['tsconfig.json', 'nest-cli.json', 'apps/sample/tsconfig.app.json'];

/** Newest modification time of the compiled sources under `path` (specs are not compiled). */
function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return path.endsWith('.spec.ts') ? 0 : stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** Whether the built sample is missing or older than a source or configuration file. */
export function sampleBuildIsStale() {
  let built;
  try {
    built = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  } catch {
    return true;
  }
  return [...sources, ...configs].some((path) => newest(join(root, path)) > built);
}

/** Runs `nest build sample` when the build is stale; throws with the compiler output if it fails. */
export function ensureSampleBuild() {
  if (!sampleBuildIsStale()) return;
  process.stderr.write('\nBuilding the sample app (dist/ is missing or stale)...\n');
  try {
    execFileSync(join(root, 'node_modules/.bin/nest'), ['build', 'sample'], {
      cwd: root,
      stdio: 'pipe',
      timeout: 180_000,
    });
  } catch (error) {
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}`;
    throw new Error(`nest build sample failed:\n${output}`, { cause: error });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureSampleBuild();
