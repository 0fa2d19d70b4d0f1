// `npm run bench`: every benchmark, one after the other (each in its own process, with its own services), their
// figures gathered into one report, printed and written to bench/results/benchmarks.md; each benchmark's full output
// goes to bench/results/output/<name>.txt. Takes about 7 minutes on 2 cores.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { coldStartGoal, ZIP_BUDGET_BYTES } from './support/budgets';
import type { Figures, FlowFigure, FunctionFigure, OtherFigure } from './support/figures';

const BENCHMARKS = [
  'cold-start',
  'login',
  'create-order',
  'pay-order',
  'payment-callback',
  'cancel-order',
  'admin-confirm',
  'refund-order',
  'refund-callback',
  'order-cancellation',
  'store-cache',
  'mq-broker',
];
const RESULTS = join(__dirname, 'results');

type Outcome = { name: string; seconds: number; figures?: Figures; failure?: string };

/** Runs `npx tsx bench/<name>.ts` with BENCH_RESULT_FILE set; its output goes to bench/results/output/<name>.txt. */
function runBenchmark(name: string, scratch: string): Promise<Outcome> {
  const resultFile = join(scratch, `${name}.json`);
  const started = Date.now();
  return new Promise((resolve) => {
    // process.execArgv carries tsx's loader, so the child runs TypeScript too.
    const child = spawn(process.execPath, [...process.execArgv, join(__dirname, `${name}.ts`)], {
      env: { ...process.env, BENCH_RESULT_FILE: resultFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('close', (code) => {
      const seconds = (Date.now() - started) / 1000;
      writeFileSync(join(RESULTS, 'output', `${name}.txt`), output);
      if (code !== 0) return resolve({ name, seconds, failure: `exited with ${code}: ${output.trim().split('\n').slice(-5).join(' / ')}` });
      try {
        resolve({ name, seconds, figures: JSON.parse(readFileSync(resultFile, 'utf8')) as Figures });
      } catch {
        resolve({ name, seconds, failure: 'finished without figures' });
      }
    });
  });
}

const kb = (bytes: number) => (bytes / 1000).toFixed(1);
const x = (ratio: number) => `${ratio.toFixed(2)}x`;

function functionRows(functions: FunctionFigure[]): string[] {
  // Over the goal with packages that are within it: the rest is its own code (compiling and initialising it), in
  // numbers, so that the reason is in the table rather than left to guess.
  const verdict = (f: FunctionFigure) =>
    f.ratio <= f.goal
      ? 'ok'
      : f.floor.ratio > f.goal
        ? 'over: its packages alone are over too'
        : `OVER: its packages alone are within (${x(f.floor.ratio)}), leaving ${x(f.goal - f.floor.ratio)} for its own code, which takes ${x(f.ratio - f.floor.ratio)}`;
  return [
    `| function | zip KB | without map | cold start ms | x bare node | CPU x bare | goal | floor x | floor zip KB | |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...functions.map(
      (f) =>
        `| ${f.name} | ${kb(f.zipBytes)}${f.zipBytes > ZIP_BUDGET_BYTES ? ' (over)' : ''} | ${kb(f.zipWithoutMapBytes)} | ${f.coldStartMs.toFixed(0)} | ${x(f.ratio)} | ${x(f.cpuRatio)} | ${f.goal.toFixed(1)} | ${x(f.floor.ratio)} | ${kb(f.floor.zipBytes)} | ${verdict(f)} |`,
    ),
  ];
}

/** Which floors the functions over their goal stand on: the packages, their ratio, the functions. */
function floorNotes(functions: FunctionFigure[]): string[] {
  const over = functions.filter((f) => f.ratio > f.goal);
  const floors = new Map<string, FunctionFigure[]>();
  for (const f of over) floors.set(f.floor.packages.join(', '), [...(floors.get(f.floor.packages.join(', ')) ?? []), f]);
  return [...floors].map(([packages, list]) => {
    const ratio = (list[0] as FunctionFigure).floor.ratio;
    const reach = ratio > coldStartGoal((list[0] as FunctionFigure).name) ? 'over the goal by themselves' : 'within the goal';
    return `- ${list.map((f) => f.name).join(', ')}: their packages at start (${packages}) load in ${x(ratio)} bare node, ${reach}`;
  });
}

/** The critical path the code calls for, when the benchmark states it; `OVER` when more were measured. */
const expectedCell = (f: FlowFigure) => (f.expectedCriticalPath === undefined ? '' : `${f.expectedCriticalPath}${f.criticalPath > f.expectedCriticalPath ? ' (OVER)' : ''}`);

function flowRows(flows: FlowFigure[]): string[] {
  return [
    '| flow | kind | p50 ms | p99 ms | p50 vs | round trips on the critical path | expected from the code | round trips |',
    '|---|---|---:|---:|---|---:|---:|---:|',
    ...flows.map(
      (f) =>
        `| ${f.flow} | ${f.kind} | ${f.p50Ms.toFixed(2)} | ${f.p99Ms.toFixed(2)} | ${f.versus ? `${x(f.versus.p50Ratio)} ${f.versus.kind}` : ''} | ${f.criticalPath} | ${expectedCell(f)} | ${f.roundTrips} |`,
    ),
  ];
}

const otherRows = (figures: OtherFigure[]) => ['| benchmark | figure | value | comparison |', '|---|---|---|---|', ...figures.map((f) => `| ${f.benchmark} | ${f.figure} | ${f.value} | ${f.comparison ?? ''} |`)];

function report(outcomes: Outcome[], load: { start: string; end: string }): string {
  const functions = outcomes.flatMap((o) => o.figures?.functions ?? []);
  const failures = outcomes.filter((o) => o.failure);
  return [
    '# Benchmarks',
    '',
    `\`npm run bench\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, node ${process.version}, ${cpus().length} cores, machine load ${load.start} at the start and ${load.end} at the end (1-minute average).`,
    `Each benchmark's full output: bench/results/output/<name>.txt; what each measures: bench/README.md. Took ${outcomes.map((o) => `${o.name} ${o.seconds.toFixed(0)} s`).join(', ')}.`,
    ...(failures.length ? ['', ...failures.map((o) => `**${o.name} failed**: ${o.failure}`)] : []),
    '',
    `## Functions: zip (budget ${kb(ZIP_BUDGET_BYTES)} KB with its source map) and cold start (goal: 2.0x a bare \`node -e 0\`, getStores 1.8x)`,
    '',
    'Cold start: a fresh Node process requiring the unpacked prod zip with the environment Lambda would give it, median wall time over',
    "bare Node's in the same run (interleaved). Floor: a bundle of only the packages the function loads at start, measured the same way.",
    '',
    ...functionRows(functions),
    '',
    ...(functions.some((f) => f.ratio > f.goal) ? ['Functions over their goal, by the packages they load at start:', '', ...floorNotes(functions), ''] : []),
    '## Flows: warm latency through the local API gateway, round trips counted at proxies in front of each dependency',
    '',
    ...flowRows(outcomes.flatMap((o) => o.figures?.flows ?? [])),
    '',
    '## Cache, broker and cancellation',
    '',
    ...otherRows(outcomes.flatMap((o) => o.figures?.figures ?? [])),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  mkdirSync(join(RESULTS, 'output'), { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), 'bench-results-'));
  const loadNow = () => (loadavg()[0] as number).toFixed(1);
  const start = loadNow();
  const outcomes: Outcome[] = [];
  try {
    for (const name of BENCHMARKS) {
      process.stdout.write(`${name} ... `);
      const outcome = await runBenchmark(name, scratch);
      console.log(outcome.failure ? `FAILED after ${outcome.seconds.toFixed(0)} s: ${outcome.failure}` : `${outcome.seconds.toFixed(0)} s`);
      outcomes.push(outcome);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const text = report(outcomes, { start, end: loadNow() });
  writeFileSync(join(RESULTS, 'benchmarks.md'), text);
  console.log('');
  console.log(text);
  process.exit(outcomes.some((o) => o.failure) ? 1 : 0);
}

void main();
