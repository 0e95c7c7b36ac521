#!/usr/bin/env node
// `npm start` and `npm run cli`: builds the sample when it is stale (scripts/ensure-sample-build.mjs),
// then runs the built entry point in this same process, so an up-to-date start costs one Node
// start-up rather than two (a separate prestart step was a second process).
//
//   node scripts/run-sample.mjs api            the sample API (apps/sample/dist/main.js)
//   node scripts/run-sample.mjs cli <args...>  the sample CLI (apps/sample/dist/cli/platform-sample.js)
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureSampleBuild } from './ensure-sample-build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entries = {
  api: 'apps/sample/dist/main.js',
  cli: 'apps/sample/dist/cli/platform-sample.js',
};
const [, , which, ...args] = process.argv;
if (!Object.hasOwn(entries, which ?? '')) {
  process.stderr.write(`usage: node scripts/run-sample.mjs api|cli [arguments]\n`);
  process.exit(2);
}
try {
  await ensureSampleBuild();
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
const entry = join(root, entries[which]);
// The entry reads its arguments (and commander its program name) from process.argv.
process.argv = [process.argv[0], entry, ...args];
await import(pathToFileURL(entry).href);
