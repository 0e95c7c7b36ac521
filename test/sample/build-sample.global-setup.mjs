// Jest globalSetup of the e2e project: the sample suites spawn the built app as `npm start`
// does, so build it (`nest build sample`, which compiles the libs it imports) when
// dist/apps/sample is missing or older than any source it is built from. CI builds before
// testing, so there this is only a freshness check.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../..');
const SAMPLE_MAIN = join(repo, 'dist/apps/sample/apps/sample/src/main.js');
const SOURCES = ['apps/sample', 'libs/platform-auth/src', 'libs/platform-client/src'];
const CONFIGS = ['tsconfig.json', 'nest-cli.json', 'apps/sample/tsconfig.app.json'];

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return path.endsWith('.spec.ts') ? 0 : stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

function builtAt() {
  try {
    return statSync(SAMPLE_MAIN).mtimeMs;
  } catch {
    return -1;
  }
}

export default function buildSample() {
  const sources = Math.max(...[...SOURCES, ...CONFIGS].map((path) => newest(join(repo, path))));
  if (builtAt() >= sources) return;
  console.log('\n[e2e] building the sample (nest build sample): dist is missing or stale');
  try {
    execFileSync(join(repo, 'node_modules/.bin/nest'), ['build', 'sample'], {
      cwd: repo,
      stdio: 'pipe',
      timeout: 180_000,
    });
  } catch (error) {
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}`;
    throw new Error(`nest build sample failed:\n${output}`, { cause: error });
  }
}
