/**
 * Shared benchmark plumbing: servers run as child processes pinned to CPU 0 (taskset), the load
 * generator (autocannon, in this process) is pinned to CPU 1 by the npm script. Scenarios run
 * for a fixed duration in interleaved rounds and are reported as medians and as ratios to a
 * reference scenario measured in the same run.
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 4);
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
export const CONNECTIONS = 32;

export interface BenchServer {
  readonly url: string;
  stop(): void;
}

/** Starts `entry` (a compiled app printing `{"port":…}` on its first line) on CPU 0. */
export async function startServer(
  entry: URL,
  env: Record<string, string> = {},
): Promise<BenchServer> {
  const child = spawn('taskset', ['-c', '0', process.execPath, fileURLToPath(entry)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  const { port } = JSON.parse(line) as { port: number };
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

export interface Scenario {
  readonly name: string;
  readonly server: BenchServer;
  readonly path: string;
  /** Fixed headers, or a header factory called for every request (e.g. a distinct token each). */
  readonly headers?: Record<string, string> | (() => Record<string, string>);
  /** The status every response must have; a run with other statuses is reported. */
  readonly expectStatus: number;
  /** Called after every run; throws to fail the benchmark (e.g. a token pool used up). */
  readonly afterRun?: () => void;
  /**
   * The scenario this one's ratio is taken against, when not the run's reference: the public
   * route of the same server process. Two processes of the same app can differ by 10–20 % in
   * throughput here, so a ratio across processes would measure the process, not the route.
   */
  readonly baseline?: string;
}

/** Req/s of one scenario over {@link DURATION_S}; throws when a response had another status. */
export async function measure(scenario: Scenario): Promise<number> {
  const { headers } = scenario;
  const result = await autocannon({
    url: `${scenario.server.url}${scenario.path}`,
    connections: CONNECTIONS,
    duration: DURATION_S,
    ...(typeof headers === 'function'
      ? {
          requests: [
            {
              method: 'GET',
              path: scenario.path,
              setupRequest: (request) => ({
                ...request,
                headers: { ...request.headers, ...headers() },
              }),
            },
          ],
        }
      : { headers: headers ?? {} }),
  });
  scenario.afterRun?.();
  const expected = `${Math.floor(scenario.expectStatus / 100)}xx` as '2xx' | '4xx';
  const total = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  if (result.errors > 0 || result.timeouts > 0 || result[expected] !== total) {
    const counts = {
      errors: result.errors,
      timeouts: result.timeouts,
      [expected]: result[expected],
      total,
    };
    throw new Error(`${scenario.name}: unexpected responses ${JSON.stringify(counts)}`);
  }
  return result.requests.average;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Runs every scenario in {@link ROUNDS} interleaved rounds and prints a Markdown table: median
 * req/s and the ratio to `reference` (or to the scenario's own `baseline`).
 */
export async function runScenarios(
  title: string,
  scenarios: readonly Scenario[],
  reference: string,
): Promise<Map<string, number>> {
  const names = new Set(scenarios.map((scenario) => scenario.name));
  for (const { name, baseline } of [...scenarios, { name: 'the reference', baseline: reference }]) {
    if (baseline !== undefined && !names.has(baseline)) {
      throw new Error(`${name}: no scenario named "${baseline}" to take the ratio against`);
    }
  }
  for (const scenario of scenarios) await measure({ ...scenario }); // warm-up (JIT, key import)
  const totals = new Map<string, number[]>(scenarios.map((scenario) => [scenario.name, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const scenario of scenarios) totals.get(scenario.name)!.push(await measure(scenario));
  }
  const medians = new Map([...totals].map(([name, values]) => [name, median(values)]));
  console.log(
    `\n${title} (${ROUNDS} rounds x ${DURATION_S} s, ${CONNECTIONS} connections, server on CPU 0)`,
  );
  console.log(
    `| scenario | req/s (median) | ratio to ${reference} (or the baseline named) | rounds |`,
  );
  console.log('|---|---:|---:|---|');
  for (const { name, baseline } of scenarios) {
    const rps = medians.get(name)!;
    const ratio = (rps / medians.get(baseline ?? reference)!).toFixed(2);
    console.log(
      `| ${name} | ${Math.round(rps)} | ${baseline ? `${ratio} (to ${baseline})` : ratio} | ${totals.get(name)!.map(Math.round).join(' ')} |`,
    );
  }
  return medians;
}
