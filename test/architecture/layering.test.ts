import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The layering rule of eslint.config.mjs, shown firing: each fixture is linted, with the project's own configuration,
// as if it lived at the path its case names. ESLint loads its ESM config through dynamic import, which jest's module
// sandbox cannot do, so the linting runs in a child process (one for all cases).
const root = join(__dirname, '..', '..');
const fixture = (name: string) => readFileSync(join(root, 'test', 'fixtures', 'layering', name), 'utf8');

const cases: Array<[string, string, RegExp]> = [
  ['domain-imports-adapter.ts', 'shared/domain/catalog/fixture.ts', /import-x\/no-restricted-paths: .*shared\/domain is pure/],
  ['domain-imports-crypto.ts', 'shared/domain/catalog/fixture.ts', /no-restricted-imports: .*no packages, no node builtins/],
  ['use-case-imports-adapter.ts', 'shared/use-cases/catalog/fixture.ts', /use cases import only domain, ports, messages and the logger/],
  ['adapter-imports-adapter.ts', 'shared/adapters/redis/fixture.ts', /shared\/adapters\/redis may not import another adapter/],
  ['adapter-imports-use-case.ts', 'shared/adapters/dynamodb/fixture.ts', /shared\/adapters\/dynamodb may not import another adapter, a use case/],
  ['lambda-imports-composition.ts', 'shared/lambda/fixture.ts', /shared\/lambda is the HTTP and consumer stacks: it wires nothing/],
  ['function-imports-local.ts', 'functions/get-stores/fixture.ts', /deployed code \(functions\/\) must not import local\//],
  ['shared-imports-test.ts', 'shared/config/fixture.ts', /deployed code \(shared\/\) must not import test\//],
  ['adapter-imports-function.ts', 'shared/adapters/dynamodb/fixture.ts', /shared\/ must not import functions\/: handlers sit on top/],
  ['logging-imports-config.ts', 'shared/logging/fixture.ts', /the logger is a leaf/],
  ['port-imports-adapter.ts', 'shared/ports/fixture.ts', /ports are interfaces: they import only domain and messages/],
  ['use-case-imports-crypto.ts', 'shared/use-cases/identity/fixture.ts', /no-restricted-imports: .*use cases and ports import no packages/],
];
const controls: Array<[string, string]> = [
  ['use-case-follows-the-rules.ts', 'shared/use-cases/catalog/fixture.ts'],
  ['domain-follows-the-rules.ts', 'shared/domain/catalog/fixture.ts'],
  ['use-case-imports-package-types.ts', 'shared/use-cases/catalog/fixture.ts'],
];

const script = `
const { ESLint } = require('eslint');
const input = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
(async () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const out = [];
  for (const { text, filePath } of input) {
    const [result] = await eslint.lintText(text, { filePath });
    out.push(result.messages.map((m) => m.ruleId + ': ' + m.message));
  }
  process.stdout.write(JSON.stringify(out));
})();`;

let messages: string[][];

beforeAll(() => {
  const input = [...cases, ...controls].map(([name, virtualPath]) => ({ text: fixture(name), filePath: join(root, virtualPath) }));
  const run = spawnSync(process.execPath, ['-e', script], { cwd: root, input: JSON.stringify(input), encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`eslint failed: ${run.stderr}`);
  messages = JSON.parse(run.stdout) as string[][];
});

describe('the layering lint rule', () => {
  it.each(cases.map((c, i) => [...c, i] as const))('rejects %s linted as %s', (_name, _path, expected, i) => {
    expect(messages[i]).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  it.each(controls.map((c, i) => [...c, cases.length + i] as const))('accepts %s linted as %s', (_name, _path, i) => {
    expect(messages[i]).toEqual([]);
  });
});
