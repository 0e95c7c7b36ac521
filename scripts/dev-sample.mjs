#!/usr/bin/env node
// `npm run dev`: the sample API in watch mode. `tsc -b --watch` rebuilds the sample and the two
// packages it imports on every change; after each compile without errors the API is restarted
// (the old process is stopped first, so the ports are free again). A compile with errors
// leaves the running API alone until the errors are fixed. Ctrl-C stops both.
//
// No watcher dependency: tsc already watches, and its "Found N errors" line is the signal. The
// outputs are not touched afterwards (tsc would see that as a change), so the first `npm start`
// after a dev session may run one incremental `tsc -b` that finds nothing to do.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const main = join(root, 'apps/sample/dist/main.js');
/** tsc's summary after each (re)compile: "… Found 0 errors. Watching for file changes." */
const COMPILED = /Found (\d+) errors?\. Watching for file changes\./;
/** tsc starting again: a save often arrives as two file events, hence two compiles. */
const RECOMPILING = /File change detected\. Starting incremental compilation/;
/** How long a clean compile must stay the last one before the API restarts. */
const SETTLE_MS = 400;

const tsc = spawn(
  join(root, 'node_modules/.bin/tsc'),
  ['-b', 'apps/sample/tsconfig.build.json', '--watch', '--preserveWatchOutput'],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
);
/** @type {import('node:child_process').ChildProcess | undefined} */
let api;
let stopping = false;
/** API processes stopped on purpose (a restart), whose exit is not news. */
const stopped = new WeakSet();
let restart = Promise.resolve();
/** @type {NodeJS.Timeout | undefined} */
let pending;

createInterface({ input: tsc.stdout }).on('line', (line) => {
  if (line.trim() !== '') process.stdout.write(`[tsc] ${line}\n`);
  if (RECOMPILING.test(line)) clearTimeout(pending);
  const compiled = COMPILED.exec(line);
  if (!compiled || stopping) return;
  if (compiled[1] !== '0') {
    process.stdout.write(
      api ? '[dev] Compile errors: the API keeps running the previous build.\n' : '',
    );
    return;
  }
  clearTimeout(pending);
  pending = setTimeout(() => (restart = restart.then(startApi)), SETTLE_MS);
});

/** Stops the running API (if any), then starts the freshly built one. */
async function startApi() {
  await stopApi();
  if (stopping) return;
  process.stdout.write(api === undefined ? '[dev] Starting the API.\n' : '[dev] Restarting.\n');
  const child = spawn(process.execPath, [main], { cwd: root, stdio: 'inherit' });
  api = child;
  child.once('exit', (code, signal) => {
    if (!stopped.has(child) && !stopping && signal === null) {
      process.stdout.write(`[dev] The API exited (${code}); waiting for the next change.\n`);
    }
  });
}

function stopApi() {
  const child = api;
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  stopped.add(child);
  return new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    stopping = true;
    clearTimeout(pending);
    tsc.kill('SIGTERM');
    await restart;
    await stopApi();
    process.exit(0);
  });
}
tsc.once('exit', async (code) => {
  if (stopping) return;
  stopping = true;
  await stopApi();
  process.exit(code ?? 1);
});
