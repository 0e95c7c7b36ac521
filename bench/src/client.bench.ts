/**
 * Authenticated request overhead: `PlatformClient.get()` with a warm token source against a bare
 * undici `fetch()` to the same loopback server, in one run. The server runs in a child process
 * on CPU 0; this process should run on CPU 1 (`npm run bench:client`). Each round sends
 * REQUESTS requests per variant with CONCURRENCY in flight, variants interleaved within a
 * round; the median round time per variant is compared (target: PlatformClient ≤ 5 % over
 * fetch). A bare `undici.request()` (the primitive PlatformClient is built on) is shown too.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Agent, fetch as undiciFetch, request as undiciRequest } from 'undici';
import { createAccessTokenSource, createPlatformClient } from '@nest-platform/client';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 5_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const TARGET_OVERHEAD = 0.05;
const TOKEN = 'bench-token-not-a-secret';

async function startServer(): Promise<{ url: string; stop: () => void }> {
  const entry = fileURLToPath(new URL('./client-bench.server.js', import.meta.url));
  const child = spawn('taskset', ['-c', '0', process.execPath, entry], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  const { port } = JSON.parse(line) as { port: number };
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

/** Sends `count` requests, `concurrency` at a time; returns elapsed ms. */
async function run(count: number, concurrency: number, call: () => Promise<unknown>) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      await call();
    }
  };
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const server = await startServer();
const fetchAgent = new Agent();
const requestAgent = new Agent();
const tokens = createAccessTokenSource({ provider: () => TOKEN });
const client = createPlatformClient({ baseUrl: server.url, allowHttp: true, token: tokens });
try {
  await tokens.getToken(); // warm: every measured call is served from the cache
  const variants: Record<string, () => Promise<unknown>> = {
    'undici fetch (bare, token header)': async () => {
      const res = await undiciFetch(`${server.url}/items/42`, {
        headers: { authorization: `Bearer ${TOKEN}` },
        dispatcher: fetchAgent,
      });
      if (res.status !== 200) throw new Error(`status ${res.status}`);
      return res.text();
    },
    'PlatformClient.get (warm token)': async () => (await client.get('/items/42')).text(),
    'undici.request (bare, token header)': async () => {
      const res = await undiciRequest(`${server.url}/items/42`, {
        headers: { authorization: `Bearer ${TOKEN}` },
        dispatcher: requestAgent,
      });
      if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
      return res.body.text();
    },
  };
  for (const call of Object.values(variants)) await run(REQUESTS / 5, CONCURRENCY, call);
  const times = new Map<string, number[]>(Object.keys(variants).map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    // Rotate the order each round so no variant always runs first.
    const names = Object.keys(variants);
    const order = [...names.slice(round % names.length), ...names.slice(0, round % names.length)];
    for (const name of order) {
      times.get(name)!.push(await run(REQUESTS, CONCURRENCY, variants[name]));
    }
  }
  const baseline = median(times.get('undici fetch (bare, token header)')!);
  console.log(
    `\nAuthenticated request overhead (${ROUNDS} rounds x ${REQUESTS} requests, ${CONCURRENCY} in flight, server on CPU 0)`,
  );
  console.log('| variant | median round (ms) | req/s | vs bare fetch | rounds (ms) |');
  console.log('|---|---:|---:|---:|---|');
  for (const [name, rounds] of times) {
    const ms = median(rounds);
    const delta = ms / baseline - 1;
    console.log(
      `| ${name} | ${ms.toFixed(0)} | ${Math.round((REQUESTS / ms) * 1000)} | ${(delta * 100).toFixed(1)} % | ${rounds.map((r) => r.toFixed(0)).join(' ')} |`,
    );
  }
  const overhead = median(times.get('PlatformClient.get (warm token)')!) / baseline - 1;
  console.log(
    `\nPlatformClient overhead vs bare fetch: ${(overhead * 100).toFixed(1)} % (target ≤ ${TARGET_OVERHEAD * 100} %): ${overhead <= TARGET_OVERHEAD ? 'met' : 'NOT met'}`,
  );
} finally {
  await client.close();
  await Promise.all([fetchAgent.close(), requestAgent.close()]);
  server.stop();
}
