/**
 * Shared benchmark plumbing: servers run as child processes pinned to CPU 0 (taskset), the load
 * generator (autocannon, in this process) is pinned to CPU 1 by the npm script. Scenarios run
 * in short slices, each between two slices of the baseline, and are reported as the median of
 * their per-round ratios to it with the interquartile range.
 */
import autocannon from 'autocannon';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 2);
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
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
  // BENCH_NODE runs the servers on another Node line (the load generator stays on this one).
  const node = process.env.BENCH_NODE ?? process.execPath;
  const child = spawn('taskset', ['-c', '0', node, fileURLToPath(entry)], {
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

/** The q-quantile of `values` (linear interpolation between closest ranks). */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low] + (sorted[Math.min(low + 1, sorted.length - 1)] - sorted[low]) * (at - low);
}

/** Median and interquartile range of per-round ratios. */
export interface RatioSummary {
  readonly median: number;
  readonly q1: number;
  readonly q3: number;
  readonly rounds: readonly number[];
}

export function summarise(ratios: readonly number[]): RatioSummary {
  return {
    median: quantile(ratios, 0.5),
    q1: quantile(ratios, 0.25),
    q3: quantile(ratios, 0.75),
    rounds: ratios,
  };
}

const fmt = ({ median, q1, q3 }: RatioSummary) =>
  `${median.toFixed(2)} (IQR ${q1.toFixed(2)}–${q3.toFixed(2)})`;

/** What {@link runInterleaved} measured: req/s per round and ratios to the baseline. */
export interface InterleavedReport {
  /** Req/s of each slice, per scenario, in round order. */
  readonly rps: ReadonlyMap<string, readonly number[]>;
  /** Per-round ratio of each scenario to the mean of the baseline slices either side of it. */
  readonly ratios: ReadonlyMap<string, readonly number[]>;
  /** Median and IQR of the per-round ratios of `a` to `b` (a ratio of ratios, same round). */
  relative(a: string, b: string): RatioSummary;
}

/**
 * Runs the scenarios in {@link ROUNDS} rounds of short slices ({@link DURATION_S} each), the
 * baseline measured before the first scenario and after every scenario of a round, so each
 * scenario sits between two baseline slices: its ratio for the round is its req/s over the mean
 * of those two. The machine's speed drifts by ±25 % within minutes; a ratio of adjacent slices
 * compares routes, not minutes (CONVENTIONS 16). Prints a Markdown table of the median ratio per
 * scenario with its interquartile range, and every round.
 */
export async function runInterleaved(
  title: string,
  baseline: Scenario,
  scenarios: readonly Scenario[],
): Promise<InterleavedReport> {
  for (const scenario of [baseline, ...scenarios]) await measure(scenario); // warm-up (JIT, keys)
  const rps = new Map<string, number[]>([baseline, ...scenarios].map((s) => [s.name, []]));
  const ratios = new Map<string, number[]>(scenarios.map((s) => [s.name, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    let before = await measure(baseline);
    rps.get(baseline.name)!.push(before);
    for (const scenario of scenarios) {
      const value = await measure(scenario);
      const after = await measure(baseline);
      rps.get(scenario.name)!.push(value);
      rps.get(baseline.name)!.push(after);
      ratios.get(scenario.name)!.push(value / ((before + after) / 2));
      before = after;
    }
    process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`);
  }
  const report: InterleavedReport = {
    rps,
    ratios,
    relative(a, b) {
      const ra = ratios.get(a);
      // The baseline's own ratio is 1 in every round.
      const rb = b === baseline.name ? ra?.map(() => 1) : ratios.get(b);
      if (!ra || !rb) throw new Error(`no scenario named "${ra ? b : a}"`);
      return summarise(ra.map((value, i) => value / rb[i]));
    },
  };
  console.log(
    `\n${title}: ${ROUNDS} rounds of ${DURATION_S} s slices, ${CONNECTIONS} connections, ` +
      `servers on CPU 0, ${process.env.BENCH_NODE ?? process.execPath} (${serverNodeVersion()})`,
  );
  console.log(`| scenario | req/s (median) | ratio to ${baseline.name} | per round |`);
  console.log('|---|---:|---:|---|');
  console.log(
    `| ${baseline.name} | ${Math.round(quantile(rps.get(baseline.name)!, 0.5))} | 1.00 | |`,
  );
  for (const { name } of scenarios) {
    const summary = summarise(ratios.get(name)!);
    console.log(
      `| ${name} | ${Math.round(quantile(rps.get(name)!, 0.5))} | ${fmt(summary)} | ` +
        `${summary.rounds.map((r) => r.toFixed(2)).join(' ')} |`,
    );
  }
  return report;
}

/** One line per target: the median and IQR of a per-round ratio of ratios, and its verdict. */
export function printTargets(
  report: InterleavedReport,
  targets: readonly { label: string; a: string; b: string; atLeast: number }[],
): void {
  console.log('\n| target | measured (median, IQR) | met |');
  console.log('|---|---:|---|');
  for (const { label, a, b, atLeast } of targets) {
    const summary = report.relative(a, b);
    console.log(
      `| ${label} ≥ ${atLeast} | ${fmt(summary)} | ${summary.median >= atLeast ? 'yes' : 'no'} |`,
    );
  }
}

/** The version of the node that runs the servers. */
function serverNodeVersion(): string {
  const node = process.env.BENCH_NODE;
  if (!node) return process.version;
  return execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
}
