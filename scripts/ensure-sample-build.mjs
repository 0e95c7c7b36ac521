#!/usr/bin/env node
// Builds the sample app and the two packages it imports (`tsc -b`, incremental) when its output
// is missing or older than any source or build configuration it depends on; otherwise does
// nothing (a few milliseconds of stat calls, no lock taken). Used by `npm start` and `npm run cli`
// (scripts/run-sample.mjs) and by the e2e project's Jest globalSetup, since the sample and CLI suites spawn the built app
// as a user would. CI builds before testing, so there this is only a freshness check.
//
// Two runs writing the same outputs at once in one checkout could hand a reader a half-written
// file, so a build happens under a lock (proper-lockfile, kept fresh while the build runs): a
// second run waits for it, then finds the build fresh and does nothing.
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The build emits both entry points; either missing means no usable build.
const outputs = ['main.js', 'cli/platform-sample.js'].map((file) =>
  join(root, 'apps/sample/dist', file),
);
const packages = ['libs/platform-auth', 'libs/platform-client'];
const sources = ['apps/sample/src', ...packages.map((dir) => `${dir}/src`)];
const configs = [
  'tsconfig.base.json',
  'apps/sample/tsconfig.build.json',
  ...packages.flatMap((dir) => [`${dir}/tsconfig.build.json`, `${dir}/package.json`]),
];
/** Outside dist/ (which the build deletes) and outside the sources (which would make it stale). */
const lockPath = join(root, 'node_modules/.cache/platform-sample-build.lock');
const BUILD_TIMEOUT_MS = 180_000;

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

/**
 * Marks the build fresh after a successful `tsc -b`, which leaves alone the outputs whose sources
 * changed only in time (a touched file, an edited spec).
 */
export function markSampleBuildFresh() {
  const now = new Date();
  for (const file of outputs) utimesSync(file, now, now);
}

/**
 * Runs `tsc -b apps/sample/tsconfig.build.json` when the build is stale, under the checkout's build lock (waiting up
 * to the build timeout for another run's build); throws with the compiler output if it fails.
 */
export async function ensureSampleBuild() {
  if (!sampleBuildIsStale()) return;
  mkdirSync(dirname(lockPath), { recursive: true });
  // Loaded only to build: an up-to-date start does not pay for it.
  const { default: lockfile } = await import('proper-lockfile');
  const release = await lockfile.lock(root, {
    lockfilePath: lockPath,
    realpath: false,
    stale: 20_000,
    retries: { retries: BUILD_TIMEOUT_MS / 500, factor: 1, minTimeout: 500, maxTimeout: 500 },
  });
  try {
    // Another run may have built it while this one waited.
    if (!sampleBuildIsStale()) return;
    process.stderr.write('\nBuilding the sample app (dist/ is missing or stale)...\n');
    try {
      await promisify(execFile)(
        join(root, 'node_modules/.bin/tsc'),
        ['-b', 'apps/sample/tsconfig.build.json'],
        {
          cwd: root,
          timeout: BUILD_TIMEOUT_MS,
          maxBuffer: 16 * 1024 * 1024,
        },
      );
    } catch (error) {
      const output = `${error.stdout ?? ''}${error.stderr ?? ''}`;
      throw new Error(`the sample build (tsc -b) failed:\n${output}`, { cause: error });
    }
    markSampleBuildFresh();
  } finally {
    await release();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await ensureSampleBuild();
