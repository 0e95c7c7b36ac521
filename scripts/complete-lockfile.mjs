#!/usr/bin/env node
// Adds the lockfile entries npm leaves out for other platforms' optional binaries.
//
// The registry this project installs from serves only the binaries for this platform
// (e.g. @swc/core-linux-x64-gnu, not @swc/core-darwin-arm64). npm 11.16+ then writes no entry
// for the missing optional packages and `npm ci` rejects its own lockfile ("Missing: …@ from
// lock file"). A version-only entry satisfies `npm ci`, which skips optional packages it cannot
// fetch or that do not fit the platform. Idempotent; run after changing dependencies
// (`npm run lockfile:complete`); CI runs it before `npm ci`.
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;

/** The entry npm would resolve `name` to from the package at `from`, walking up node_modules. */
function resolves(from, name) {
  for (let dir = from; ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf('/node_modules/')))) {
    if (packages[`${dir ? `${dir}/` : ''}node_modules/${name}`]) return true;
    if (dir === '') return false;
  }
}

const added = [];
for (const [from, entry] of Object.entries(packages)) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    if (resolves(from, name)) continue;
    const root = `node_modules/${name}`;
    const key = packages[root] ? `${from}/node_modules/${name}` : root;
    packages[key] = { version: range, ...(entry.dev && { dev: true }), optional: true };
    added.push(`${name}@${range}`);
  }
}

if (added.length > 0) {
  // Keep npm's own order (root first, then paths in 'en' locale order), so `npm install` rewrites nothing.
  lock.packages = Object.fromEntries(
    Object.entries(packages).sort(([a], [b]) =>
      a === '' ? -1 : b === '' ? 1 : a.localeCompare(b, 'en'),
    ),
  );
  writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(`package-lock.json: added ${added.length} optional platform entries.`);
} else {
  console.log('package-lock.json: complete.');
}
