// Jest setup file of both projects. oidc-provider prints notices through console.warn/info when a
// test file imports it (its runtime check: Node 20 is below the Node 22 it wants) and when a test
// issuer leaves a lifetime at its default ("default ttl.… function called"). They are about the
// test's own issuer, never about the code under test, and are dropped; every other console line
// goes through as usual.
// Matched anywhere in the line: on a TTY oidc-provider wraps it in colour codes.
const NOTICES = [
  /oidc-provider WARNING: Unsupported runtime\./,
  /oidc-provider NOTICE: default ttl\.\w+ function called/,
];

for (const level of ['warn', 'info'] as const) {
  // eslint-disable-next-line no-console
  const write = console[level].bind(console);
  // eslint-disable-next-line no-console
  console[level] = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && NOTICES.some((notice) => notice.test(args[0] as string))) {
      return;
    }
    write(...args);
  };
}

export {};
