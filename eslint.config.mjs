import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

/**
 * The layering of docs/architecture.md as build errors. Each zone: files under `target` may not import anything under
 * `from` except the `except` folders (relative to `from`). Tests beside the code are exempt: they may use anything.
 */
const layer = (target, allowed, message) => ({ target: `./${target}`, from: './shared', except: allowed.map((a) => `./${a}`), message });
const layering = [
  layer('shared/domain', ['domain'], 'shared/domain is pure: it imports nothing outside itself'),
  layer('shared/use-cases', ['domain', 'ports', 'messages', 'logging', 'use-cases'], 'use cases import only domain, ports, messages and the logger'),
  layer('shared/ports', ['domain', 'ports', 'messages'], 'ports are interfaces: they import only domain and messages'),
  layer('shared/messages', ['messages', 'schemas'], 'message contracts import only schemas'),
  layer('shared/schemas', ['schemas', 'domain'], 'schemas import only the domain'),
  layer('shared/logging', ['logging'], 'the logger is a leaf'),
  layer('shared/config', ['config', 'schemas'], 'configuration imports only schemas'),
  layer('shared/lambda', ['lambda', 'domain', 'ports', 'messages', 'logging', 'schemas'], 'shared/lambda is the HTTP and consumer stacks: it wires nothing'),
  // An adapter owns one outside system: it never builds another adapter, never calls a use case. The system clock and
  // id source (adapters/system) are leaves every adapter may default to.
  ...['dynamodb', 'redis', 'rocketmq', 'wechat'].map((system) =>
    layer(`shared/adapters/${system}`, [`adapters/${system}`, 'adapters/system', 'ports', 'domain', 'config', 'logging', 'messages', 'schemas'], `shared/adapters/${system} may not import another adapter, a use case, composition or lambda code`),
  ),
  layer('shared/adapters/system', ['adapters/system', 'ports'], 'shared/adapters/system is a leaf'),
];
const deployed = [
  ...['functions', 'shared'].flatMap((target) =>
    ['local', 'test', 'bench'].map((from) => ({ target: `./${target}`, from: `./${from}`, message: `deployed code (${target}/) must not import ${from}/` })),
  ),
  { target: './shared', from: './functions', message: 'shared/ must not import functions/: handlers sit on top of everything' },
];
const outsideDomain = { patterns: [{ regex: '^[^.]', message: 'shared/domain is pure: no packages, no node builtins, no I/O' }] };
// Use cases and ports reach the world only through ports: a package or node builtin there (randomness, time, a client)
// is an adapter in disguise. Types of a package are fine.
const outsideCore = { patterns: [{ regex: '^[^.]', allowTypeImports: true, message: 'use cases and ports import no packages and no node builtins (types only): take what you need through a port' }] };

export default tseslint.config(
  { ignores: ['node_modules/', '.serverless/', '.esbuild/', '.local-data/', 'coverage/', 'test/fixtures/layering/', 'console/dist/', 'console/.build-*/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', __dirname: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['functions/**/*.ts', 'shared/**/*.ts'],
    ignores: ['**/*.test.ts', 'shared/testing/**'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })] },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: [...layering, ...deployed] }],
      'no-console': 'error',
    },
  },
  {
    files: ['shared/domain/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', outsideDomain] },
  },
  {
    files: ['shared/use-cases/**/*.ts', 'shared/ports/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', outsideCore] },
  },
  {
    // Tests read JSON bodies whose shape they then assert on.
    files: ['**/*.test.ts', 'shared/testing/**', 'test/**', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
