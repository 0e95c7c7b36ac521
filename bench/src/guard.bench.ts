/**
 * Guard overhead benchmark. Starts the bench app pinned to CPU 0 (taskset) and drives it with
 * autocannon from this process (pin it to CPU 1: `npm run bench`). Each route is measured for a
 * fixed duration, rounds interleaved, and reported as the median req/s and as a ratio to the
 * public route measured in the same run.
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { BENCH_TOKEN } from './guard-bench.constants.js';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONNECTIONS = 32;

const scenarios = [
  {
    name: 'public route, app without PlatformAuthModule',
    path: '/public',
    headers: {},
    baseline: true,
  },
  { name: 'public route', path: '/public', headers: {} },
  {
    name: 'protected route',
    path: '/protected',
    headers: { authorization: `Bearer ${BENCH_TOKEN}` },
  },
  {
    name: 'scope-checked route',
    path: '/scoped',
    headers: { authorization: `Bearer ${BENCH_TOKEN}` },
  },
  {
    name: 'rejection (unknown token, 401)',
    path: '/protected',
    headers: { authorization: 'Bearer wrong' },
  },
  { name: 'rejection (no credentials, 401)', path: '/protected', headers: {} },
] as const;

async function startServer(
  variant: 'auth' | 'baseline',
): Promise<{ url: string; stop: () => void }> {
  const entry = fileURLToPath(new URL('./guard-bench.app.js', import.meta.url));
  const child = spawn('taskset', ['-c', '0', process.execPath, entry], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, BENCH_VARIANT: variant },
  });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  const { port } = JSON.parse(line) as { port: number };
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

async function measure(
  url: string,
  path: string,
  headers: Record<string, string>,
): Promise<number> {
  const result = await autocannon({
    url: `${url}${path}`,
    headers,
    connections: CONNECTIONS,
    duration: DURATION_S,
  });
  return result.requests.average;
}

// Both servers stay up on CPU 0 and are measured one at a time, so they never compete.
const server = await startServer('auth');
const baseline = await startServer('baseline');
try {
  await measure(server.url, '/public', {}); // warm-up
  await measure(baseline.url, '/public', {});
  const totals = new Map<string, number[]>(scenarios.map((s) => [s.name, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const scenario of scenarios) {
      const url = 'baseline' in scenario ? baseline.url : server.url;
      totals.get(scenario.name)!.push(await measure(url, scenario.path, { ...scenario.headers }));
    }
  }
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  };
  const publicRps = median(totals.get('public route')!);
  console.log(
    `\nGuard overhead (Express, ${ROUNDS} rounds x ${DURATION_S} s, ${CONNECTIONS} connections, server on CPU 0)`,
  );
  console.log('| scenario | req/s (median) | ratio to public | rounds |');
  console.log('|---|---:|---:|---|');
  for (const scenario of scenarios) {
    const rounds = totals.get(scenario.name)!;
    const rps = median(rounds);
    const all = rounds.map(Math.round).join(' ');
    console.log(
      `| ${scenario.name} | ${Math.round(rps)} | ${(rps / publicRps).toFixed(2)} | ${all} |`,
    );
  }
} finally {
  server.stop();
  baseline.stop();
}
