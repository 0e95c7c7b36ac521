/**
 * Guard overhead benchmark: in-memory authentication, so the figures measure the framework
 * (extraction, route plan, ports, context binding), not crypto. Ratios to the same controller in
 * an app without PlatformAuthModule, in 2 s slices between baseline slices. `npm run bench`.
 */
import { BENCH_TOKEN } from './guard-bench.constants.js';
import { printTargets, runInterleaved, startServer } from './harness.js';

const entry = new URL('./guard-bench.app.js', import.meta.url);
const server = await startServer(entry, { BENCH_VARIANT: 'auth' });
const baseline = await startServer(entry, { BENCH_VARIANT: 'baseline' });
const bearer = { authorization: `Bearer ${BENCH_TOKEN}` };
try {
  const report = await runInterleaved(
    'Guard overhead (Express)',
    {
      name: 'public route, app without PlatformAuthModule',
      server: baseline,
      path: '/public',
      expectStatus: 200,
    },
    [
      { name: 'public route', server, path: '/public', expectStatus: 200 },
      { name: 'protected route', server, path: '/protected', headers: bearer, expectStatus: 200 },
      { name: 'scope-checked route', server, path: '/scoped', headers: bearer, expectStatus: 200 },
      {
        name: 'rejection (unknown token, 401)',
        server,
        path: '/protected',
        headers: { authorization: 'Bearer wrong' },
        expectStatus: 401,
      },
      { name: 'rejection (no credentials, 401)', server, path: '/protected', expectStatus: 401 },
    ],
  );
  printTargets(report, [
    {
      label: 'public route / app without the module',
      a: 'public route',
      b: 'public route, app without PlatformAuthModule',
      atLeast: 0.95,
    },
    {
      label: 'protected route / public route',
      a: 'protected route',
      b: 'public route',
      atLeast: 0.9,
    },
  ]);
} finally {
  server.stop();
  baseline.stop();
}
