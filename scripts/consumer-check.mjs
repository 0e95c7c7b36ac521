#!/usr/bin/env node
// `npm run test:consumer`: the packages as a stranger meets them. Packs both tarballs, then
// for an ESM and a CommonJS scratch app outside the repository (scripts/consumer/app, each with
// its own package.json): installs the tarballs and the app's own dependencies from the
// registry, refuses a second copy of @nest-platform/auth, typechecks with skipLibCheck: false,
// and on every Node line (scripts/node-lines.mjs) boots the app on Express and on Fastify
// against a real OpenID provider on 127.0.0.1 (oidc-provider) and runs the app's own test
// (node --test). Exits non-zero on the first failure. `--lines current` tests the machine's
// node only.
import { execFileSync, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeLines } from './node-lines.mjs';
import { pack } from './pack.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const AUDIENCE = 'urn:consumer:api';
const CLIENT = { id: 'consumer-app', secret: 'consumer-app-secret-of-the-consumer-check' };

const log = (line) => process.stdout.write(`[consumer] ${line}\n`);

/** The version the repository installs of a package (so the scratch apps test the same). */
const installed = (name) =>
  JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;

function scratchPackageJson(flavor, tarballs) {
  const pin = (names) => Object.fromEntries(names.map((name) => [name, installed(name)]));
  return {
    name: `consumer-${flavor}`,
    version: '0.0.0',
    private: true,
    ...(flavor === 'esm' && { type: 'module' }),
    dependencies: {
      '@nest-platform/auth': `file:${tarballs.auth}`,
      '@nest-platform/client': `file:${tarballs.client}`,
      ...pin([
        '@nestjs/common',
        '@nestjs/core',
        '@nestjs/platform-express',
        '@nestjs/platform-fastify',
        'reflect-metadata',
        'rxjs',
      ]),
    },
    // As `nest new` generates them (@types/express is what Nest's own express typings need).
    devDependencies: pin([
      '@nestjs/testing',
      '@types/express',
      '@types/node',
      '@types/supertest',
      'supertest',
      'typescript',
    ]),
  };
}

const run = (command, args, options = {}) =>
  execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });

/** Every installed copy of a package under `dir`'s node_modules (nested ones included). */
function copiesOf(dir, name) {
  const found = [];
  const walk = (modules) => {
    if (!existsSync(modules)) return;
    for (const entry of readdirSync(modules)) {
      const scoped = entry.startsWith('@');
      const children = scoped
        ? readdirSync(join(modules, entry)).map((n) => `${entry}/${n}`)
        : [entry];
      for (const child of children) {
        const packageDir = join(modules, child);
        if (child === name) found.push(packageDir);
        walk(join(packageDir, 'node_modules'));
      }
    }
  };
  walk(join(dir, 'node_modules'));
  return found;
}

/** Fails unless the app holds exactly one @nest-platform/auth and the client bundles none of it. */
export function checkSingleCopy(app) {
  const copies = copiesOf(app, '@nest-platform/auth');
  if (copies.length !== 1) {
    throw new Error(
      `expected one @nest-platform/auth, found ${copies.length}: ${copies.join(', ')}`,
    );
  }
  const clientDist = join(app, 'node_modules/@nest-platform/client/dist');
  const bundled = filesUnder(clientDist).filter((file) =>
    /class (PlatformAuthGuard|AuthRouteRegistry)\b/.test(readFileSync(file, 'utf8')),
  );
  if (bundled.length > 0) throw new Error(`@nest-platform/client bundles auth code: ${bundled}`);
}

/** Every file below `dir`. */
function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** A free port on 127.0.0.1 (the app's client calls the app itself at this port). */
async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts oidc-provider on 127.0.0.1 with one client-credentials client and one JWT resource. */
async function startIssuer() {
  const { default: Provider, errors } = await import('oidc-provider');
  const { exportJWK, generateKeyPair } = await import('jose');
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'consumer-key', alg: 'RS256', use: 'sig' };
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(url, {
    jwks: { keys: [jwk] },
    cookies: { keys: ['consumer-check-cookie-key'] },
    clients: [
      {
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: 'documents:read documents:write',
      },
    ],
    scopes: ['documents:read', 'documents:write'],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => AUDIENCE,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== AUDIENCE) throw new errors.InvalidTarget();
          return {
            scope: 'documents:read documents:write',
            audience: AUDIENCE,
            accessTokenFormat: 'jwt',
            accessTokenTTL: 300,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
        useGrantedResource: () => true,
      },
    },
  });
  server.on('request', provider.callback());
  const token = async (scope) => {
    const response = await fetch(`${url}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource: AUDIENCE }),
    });
    if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
    return (await response.json()).access_token;
  };
  const close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  };
  return { url, token, close };
}

/** Boots the built app with `node`, resolves its URL once it says LISTENING. */
async function boot(node, app, env) {
  const child = spawn(node, ['dist/src/main.js'], {
    cwd: app,
    env: { ...process.env, ...env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no LISTENING line after 30 s:\n${output}`)),
      30_000,
    );
    const read = (chunk) => {
      output += chunk;
      const match = /LISTENING (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1].replace('[::1]', '127.0.0.1'));
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the app exited with ${code}:\n${output}`));
    });
  });
  return { url, stop: () => new Promise((resolve) => (child.once('exit', resolve), child.kill())) };
}

function expectEqual(what, actual, expected) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

/** The checks every booted app must pass. */
async function checkApp(url, issuer) {
  const get = async (path, token) => {
    const response = await fetch(`${url}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: response.status, headers: response.headers, body: await response.json() };
  };
  const reader = await issuer.token('documents:read');
  const writer = await issuer.token('documents:write');

  expectEqual('public GET /health', (await get('/health')).status, 200);
  const anonymous = await get('/me');
  expectEqual('anonymous GET /me', anonymous.status, 401);
  expectEqual(
    'its challenge',
    anonymous.headers.get('www-authenticate'),
    'Bearer realm="consumer"',
  );
  const me = await get('/me', reader);
  expectEqual('GET /me with a token', me.status, 200);
  expectEqual('@CurrentAuth() subject', me.body.subject, CLIENT.id);
  expectEqual('@CurrentAuth() principal', me.body.principalType, 'client');
  const refused = await get('/documents', writer);
  expectEqual('GET /documents without documents:read', refused.status, 403);
  expectEqual('GET /documents with documents:read', (await get('/documents', reader)).status, 200);
  const forwarded = await get('/forwarded', reader);
  expectEqual('GET /forwarded (PlatformClient with forwardAuth)', forwarded.status, 200);
  expectEqual('the caller as the downstream route saw it', forwarded.body, {
    subject: CLIENT.id,
    viaSnapshot: true,
    bearer: false,
  });
}

async function checkFlavor(flavor, tarballs, lines, issuer, work) {
  const app = join(work, flavor);
  cpSync(join(root, 'scripts/consumer/app'), app, { recursive: true });
  writeFileSync(
    join(app, 'package.json'),
    `${JSON.stringify(scratchPackageJson(flavor, tarballs), null, 2)}\n`,
  );
  log(`${flavor}: npm install (tarballs + registry)`);
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: app,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  checkSingleCopy(app);
  log(`${flavor}: one copy of @nest-platform/auth; the client bundles none of it`);
  run(join(app, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: app });
  log(`${flavor}: typechecks and builds with skipLibCheck: false`);
  for (const { version, bin } of lines) {
    for (const platform of ['express', 'fastify']) {
      const port = String(await freePort());
      const started = await boot(bin, app, {
        ISSUER: issuer.url,
        AUDIENCE,
        PORT: port,
        PLATFORM: platform,
      });
      try {
        await checkApp(started.url, issuer);
      } catch (error) {
        throw new Error(`${flavor} on ${platform}, Node ${version}: ${error.message}`, {
          cause: error,
        });
      } finally {
        await started.stop();
      }
      log(
        `${flavor} on ${platform}, Node ${version}: public, 401, 200, @CurrentAuth, 403, forwardAuth`,
      );
    }
    try {
      run(bin, ['--test', 'dist/test/app.test.js'], {
        cwd: app,
        env: { ...process.env, NODE_OPTIONS: '' },
      });
    } catch (error) {
      throw new Error(
        `${flavor}, Node ${version}: the app's own test failed:\n${error.stdout}${error.stderr}`,
        { cause: error },
      );
    }
    log(`${flavor}, Node ${version}: the app's own testing-kit test passes (node --test)`);
  }
}

async function main() {
  const onlyCurrent = process.argv.includes('--lines') && process.argv.includes('current');
  const lines = onlyCurrent ? nodeLines({ extraOnly: false }).slice(0, 1) : nodeLines();
  const work = mkdtempSync(join(tmpdir(), 'nest-platform-consumer-'));
  const issuer = await startIssuer();
  try {
    const [auth, client] = pack(join(work, 'packages'));
    for (const flavor of ['esm', 'cjs'])
      await checkFlavor(flavor, { auth, client }, lines, issuer, work);
    log(
      `passed: esm and cjs apps, Express and Fastify, Node ${lines.map((l) => l.version).join(', ')}`,
    );
  } finally {
    await issuer.close();
    if (!process.env.KEEP_CONSUMER_APPS) rmSync(work, { recursive: true, force: true });
    else log(`kept ${work}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    process.stderr.write(`[consumer] FAILED: ${error.stack ?? error}\n`);
    process.exitCode = 1;
  });
}
