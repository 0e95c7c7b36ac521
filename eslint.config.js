// One lint baseline for the whole repository: typescript-eslint, Prettier compatibility,
// and the dependency rule (apps -> libs; platform-client -> platform-auth public API only;
// platform-auth never imports platform-client; no cycles).
import { readFileSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const appsInternals = { group: ['**/apps/**'], message: 'Libraries and tests never import apps.' };

// The entry points of each package, read from its `exports` map: nothing else may be imported.
const entriesOf = (dir) =>
  Object.keys(
    JSON.parse(readFileSync(new URL(`./libs/${dir}/package.json`, import.meta.url))).exports,
  )
    .filter((key) => key !== '.' && key !== './package.json')
    .map((key) => key.slice(2));
const internalsOf = (name, dir) => ({
  group: [`**/${dir}/src/**`, `${name}/*`, ...entriesOf(dir).map((entry) => `!${name}/${entry}`)],
  message: `Import ${name} through its entry points (its package.json "exports").`,
});
const authInternals = internalsOf('@nest-platform/auth', 'platform-auth');
const clientInternals = internalsOf('@nest-platform/client', 'platform-client');

export default tseslint.config(
  { ignores: ['**/dist/**', 'coverage/**', 'node_modules/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    languageOptions: {
      // Tells consistent-type-imports that constructor parameter types are runtime values (DI).
      parserOptions: { emitDecoratorMetadata: true, experimentalDecorators: true },
    },
    settings: {
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/extensions': ['.ts', '.js'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Nest's own reflection APIs (getHandler(), metatype) are typed `Function`.
      '@typescript-eslint/no-unsafe-function-type': 'off',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'no-console': 'error',
    },
  },
  {
    files: ['libs/platform-auth/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@nest-platform/auth',
              message: 'Never import a lib’s own barrel from inside it.',
            },
            {
              name: '@nest-platform/client',
              message: 'platform-auth never depends on platform-client.',
            },
          ],
          patterns: [
            appsInternals,
            {
              group: ['**/platform-client/**'],
              message: 'platform-auth never depends on platform-client.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/platform-client/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@nest-platform/client',
              message: 'Never import a lib’s own barrel from inside it.',
            },
          ],
          patterns: [appsInternals, authInternals],
        },
      ],
    },
  },
  {
    files: ['apps/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            authInternals,
            clientInternals,
            { group: ['**/libs/**'], message: 'Import the packages by name (@nest-platform/*).' },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: Object.fromEntries(
        [
          ...['process', 'console', 'URL', 'URLSearchParams', 'Buffer', 'fetch'],
          ...['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'],
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
  prettier,
);
