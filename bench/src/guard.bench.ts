/**
 * Guard overhead benchmark: in-memory authentication, so the figures measure the framework
 * (extraction, route plan, ports, AsyncLocalStorage), not crypto. `npm run bench`.
 */
import { BENCH_TOKEN } from './guard-bench.constants.js';
import { runScenarios, startServer } from './harness.js';

const entry = new URL('./guard-bench.app.js', import.meta.url);
const server = await startServer(entry, { BENCH_VARIANT: 'auth' });
const baseline = await startServer(entry, { BENCH_VARIANT: 'baseline' });
const bearer = { authorization: `Bearer ${BENCH_TOKEN}` };
try {
  await runScenarios(
    'Guard overhead (Express)',
    [
      {
        name: 'public route, app without PlatformAuthModule',
        server: baseline,
        path: '/public',
        expectStatus: 200,
      },
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
    'public route',
  );
} finally {
  server.stop();
  baseline.stop();
}
