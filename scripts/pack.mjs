#!/usr/bin/env node
// `npm run pack [-- --out <dir>]`: a clean build of both packages, then `npm pack` of each into
// one folder (default dist/packages). Prints each tarball with its size, and refuses a tarball
// that ships test files, build info, or a source map whose sources are neither inlined nor in
// the package.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGES = ['libs/platform-auth', 'libs/platform-client'];

/** `--out <dir>` or the default folder, absolute. */
function outDir(argv) {
  const at = argv.indexOf('--out');
  return resolve(at === -1 ? join(root, 'dist/packages') : argv[at + 1]);
}

const run = (command, args, options = {}) =>
  execFileSync(command, args, { cwd: root, encoding: 'utf8', ...options });

/** Reasons a packed file list is not what a user should install. */
function problems(files) {
  const names = new Set(files.map((file) => file.path));
  const found = [];
  for (const name of names) {
    if (/\.spec\.(js|d\.ts)$|tsbuildinfo$|(^|\/)src\//.test(name)) found.push(`ships ${name}`);
  }
  return found;
}

export function pack(out = outDir(process.argv)) {
  for (const dir of PACKAGES) {
    rmSync(join(root, dir, 'dist'), { recursive: true, force: true });
    rmSync(join(root, dir, 'tsconfig.build.tsbuildinfo'), { force: true });
  }
  run(join(root, 'node_modules/.bin/tsc'), ['-b', 'libs/platform-client/tsconfig.build.json']);
  mkdirSync(out, { recursive: true });
  const packed = JSON.parse(
    run('npm', [
      'pack',
      '--json',
      '--pack-destination',
      out,
      ...PACKAGES.flatMap((dir) => ['--workspace', dir]),
    ]),
  );
  const tarballs = [];
  for (const result of packed) {
    const found = problems(result.files);
    if (found.length > 0) throw new Error(`${result.name}: ${found.join('; ')}`);
    const file = join(out, result.filename);
    checkSourceMaps(file);
    tarballs.push(file);
    process.stdout.write(
      `${result.filename}  ${(result.size / 1024).toFixed(1)} kB packed, ` +
        `${(result.unpackedSize / 1024).toFixed(1)} kB unpacked, ${result.entryCount} files\n`,
    );
  }
  return tarballs;
}

/** Every `.js.map` in the tarball carries its sources inline (`inlineSources`). */
function checkSourceMaps(tarball) {
  const list = run('tar', ['-tzf', tarball])
    .split('\n')
    .filter((name) => name.endsWith('.map'));
  for (const name of list) {
    const map = JSON.parse(run('tar', ['-xzOf', tarball, name], { maxBuffer: 64 * 1024 * 1024 }));
    const inline = Array.isArray(map.sourcesContent) && map.sourcesContent.every(Boolean);
    if (!inline || map.sources.length !== map.sourcesContent.length) {
      throw new Error(`${tarball}: ${name} points at sources the package does not ship`);
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) pack();
