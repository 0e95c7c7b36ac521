import { readFileSync } from 'node:fs';

/**
 * Jest in ESM mode (run with NODE_OPTIONS=--experimental-vm-modules) with @swc/jest.
 * Two projects: `unit` (specs beside the code) and `e2e` (suites under test/).
 * @type {import('jest').Config}
 */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

// The package names map onto the sources, as in tsconfig.json (the one list of entry points
// besides each package's `exports`, which test/packages/entry-points.e2e-spec.ts keeps in step).
const { compilerOptions } = JSON.parse(readFileSync(new URL('./tsconfig.json', import.meta.url)));
const packageEntries = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([name, [source]]) => [
    `^${name.replaceAll('/', '\\/')}$`,
    `<rootDir>/${source.replace(/^\.\//, '')}`,
  ]),
);

const shared = {
  // Node's environment, holding direct writes to process.stdout/stderr (Nest's loggers) per
  // test and printing them only for a failure; and oidc-provider's notices about itself dropped.
  testEnvironment: '<rootDir>/test/setup/quiet-environment.mjs',
  setupFiles: ['<rootDir>/test/setup/third-party-notices.ts'],
  rootDir: '.',
  extensionsToTreatAsEsm: ['.ts'],
  // CommonJS dependencies that require an ESM-only package (test/setup/cjs-resolver.cjs).
  resolver: '<rootDir>/test/setup/cjs-resolver.cjs',
  moduleNameMapper: {
    ...packageEntries,
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: { '^.+\\.ts$': swc },
};

export default {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      roots: ['<rootDir>/libs', '<rootDir>/apps'],
      testMatch: ['**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      roots: ['<rootDir>/test'],
      // Real servers and spawned processes: a loaded 2-core machine needs more than 5 s to boot
      // one. Above the fixtures' own 30 s boot deadline, so a fixture that gives up first kills
      // what it spawned (Jest giving up first would leave it running and Jest waiting for it).
      testTimeout: 60_000,
      // The sample and CLI suites spawn the built app: build it when dist/ is missing or stale.
      globalSetup: '<rootDir>/test/build-sample.global-setup.mjs',
      testMatch: ['**/*.e2e-spec.ts'],
    },
  ],
};
