#!/usr/bin/env node
// Builds the sample app (and with it the libs it compiles) when dist/ is missing or older than
// any source file under apps/sample/src or libs/*/src; otherwise does nothing (about 50 ms).
// Used by `npm run cli` (precli) and by the e2e suites that spawn the built CLI.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist/apps/sample/apps/sample/src/cli/main.js');
const sources = [join(root, 'apps/sample/src'), join(root, 'libs')];

function newest(dir) {
  let latest = 0;
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, item.name);
    if (item.isDirectory()) latest = Math.max(latest, newest(path));
    else if (item.name.endsWith('.ts')) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

/** Whether the built CLI is missing or older than a source. */
export function sampleBuildIsStale() {
  let built;
  try {
    built = statSync(entry).mtimeMs;
  } catch {
    return true;
  }
  return sources.some((dir) => newest(dir) > built);
}

/** Runs `nest build sample` when the build is stale. */
export function ensureSampleBuild() {
  if (!sampleBuildIsStale()) return;
  process.stderr.write('Building the sample app (dist/ is missing or stale)...\n');
  execFileSync(join(root, 'node_modules/.bin/nest'), ['build', 'sample'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureSampleBuild();
