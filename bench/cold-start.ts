// Every function's deployment zip and cold start, against the budgets of issue 15 (bench/support/budgets.ts).
// Run: npx tsx bench/cold-start.ts [runs]
//
// `serverless package --stage prod` (in a copy of the tree, bench/support/packaging.ts); each zip's size with and
// without its source map; each bundle rebuilt with a metafile (byte for byte the zip's) for its largest modules
// (written to bench/results/bundle-composition.md); then each zip unpacked and required in a fresh Node process with
// the environment Lambda would give it, against a bare `node -e 0`, `runs` times each, interleaved; medians and ratios.
// Beside each function, its floor: a bundle of only the packages its code loads at start (bench/support/floors.ts),
// measured the same way, which says how far the goal is reachable with these packages at all.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { analyseFunction, topInputs, topPackages, type BundleAnalysis } from './support/bundle-contents';
import { coldStartGoal, ZIP_BUDGET_BYTES } from './support/budgets';
import { measureInterleaved, type Medians, type Subject } from './support/cold-starts';
import { publishFigures, type FunctionFigure } from './support/figures';
import { buildFloor, floorEntry, packageName, startupImports, unionOf, type Bindings } from './support/floors';
import { lambdaEnv } from './support/lambda-env';
import { packageProd, PROJECT_ROOT, type Packaged, type PackagedFunction } from './support/packaging';
import { readZip, zipSizes } from './support/zip';

const RUNS = Number(process.argv[2] ?? 15);
const COMPOSITION_FILE = join(PROJECT_ROOT, 'bench', 'results', 'bundle-composition.md');

const kb = (bytes: number) => (bytes / 1000).toFixed(1);

/** Unpacks the zip as Lambda does into /var/task; returns the handler file's path. */
function unpack(fn: PackagedFunction, root: string): string {
  for (const entry of readZip(fn.zip)) {
    const path = join(root, entry.name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, entry.content());
  }
  return join(root, fn.bundle);
}

function writeComposition(packaged: Packaged, analyses: Map<string, BundleAnalysis>): void {
  const lines = [
    '# What each bundle is made of',
    '',
    `Written by \`npx tsx bench/cold-start.ts\` (and \`npm run bench\`) on ${new Date().toISOString().slice(0, 10)}: the largest modules of each function's`,
    "bundle by bytes of minified output (esbuild's metafile of a rebuild that is byte for byte the zip's code), then the",
    'same grouped by package.',
  ];
  for (const fn of packaged.functions) {
    const { inputs } = analyses.get(fn.name) as BundleAnalysis;
    const total = Object.values(inputs).reduce((a, b) => a + b, 0);
    lines.push('', `## ${fn.name} (${kb(total)} KB of code)`, '', '| module | KB |', '|---|---:|');
    for (const share of topInputs(inputs, 10)) lines.push(`| ${share.name} | ${kb(share.bytes)} |`);
    lines.push('', `By package: ${topPackages(inputs, 8).map((s) => `${s.name} ${kb(s.bytes)}`).join(', ')}`);
  }
  mkdirSync(dirname(COMPOSITION_FILE), { recursive: true });
  writeFileSync(COMPOSITION_FILE, `${lines.join('\n')}\n`);
}

type Floor = { key: string; packages: string[]; file: string; zipBytes: number };

/** One floor per set of packages loaded at start, each package imported with every binding any function takes. */
async function buildFloors(packaged: Packaged, analyses: Map<string, BundleAnalysis>): Promise<Map<string, Floor>> {
  const sourceOf = (input: string) => readFileSync(join(packaged.serviceDir, input), 'utf8');
  const importsOf = new Map(packaged.functions.map((fn) => [fn.name, startupImports((analyses.get(fn.name) as BundleAnalysis).metafile, sourceOf)]));
  const union = unionOf([...importsOf.values()]);
  const floorOf = new Map<string, Floor>();
  const built = new Map<string, Floor>();
  for (const fn of packaged.functions) {
    const specifiers = [...(importsOf.get(fn.name)?.keys() ?? [])].sort();
    const key = specifiers.join(' ');
    if (!built.has(key)) {
      const name = `floor-${built.size + 1}`;
      const bundle = await buildFloor(packaged, name, floorEntry(new Map(specifiers.map((s) => [s, union.get(s) as Bindings])), packaged.serviceDir));
      built.set(key, { key: name, packages: [...new Set(specifiers.map(packageName))], file: bundle.file, zipBytes: bundle.zipBytes });
    }
    floorOf.set(fn.name, built.get(key) as Floor);
  }
  return floorOf;
}

function verdict(ratio: number, goal: number, floorRatio: number): string {
  if (ratio <= goal) return 'ok';
  if (floorRatio > goal) return `over; its packages alone are ${floorRatio.toFixed(2)}x`;
  return 'OVER (its packages alone are within the goal)';
}

function printTable(figures: FunctionFigure[], bare: Medians): void {
  const head = ['function', 'zip KB', 'no map', 'cold ms', 'x bare', 'cpu x', 'goal', 'floor x', 'floor KB', 'verdict'];
  const widths = [26, 7, 7, 8, 7, 6, 5, 8, 9, 0];
  const row = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join(' ');
  console.log(row(head));
  for (const f of figures) {
    const zip = `${kb(f.zipBytes)}${f.zipBytes > ZIP_BUDGET_BYTES ? '!' : ''}`;
    console.log(row([f.name, zip, kb(f.zipWithoutMapBytes), f.coldStartMs.toFixed(0), f.ratio.toFixed(2), f.cpuRatio.toFixed(2), f.goal.toFixed(1), f.floor.ratio.toFixed(2), kb(f.floor.zipBytes), ` ${verdict(f.ratio, f.goal, f.floor.ratio)}`]));
  }
  console.log(`bare node -e 0: median ${bare.wallMs.toFixed(1)} ms wall, ${bare.cpuMs.toFixed(1)} ms CPU (${bare.runs} runs); zip budget ${kb(ZIP_BUDGET_BYTES)} KB (! = over)`);
}

async function main(): Promise<void> {
  if (!Number.isInteger(RUNS) || RUNS < 3) throw new Error(`runs must be an integer of at least 3, not ${process.argv[2]}`);
  const packaged = await packageProd();
  try {
    console.log(`serverless package --stage prod: ${packaged.functions.length} functions in ${packaged.seconds.toFixed(0)} s`);
    const analyses = new Map<string, BundleAnalysis>();
    for (const fn of packaged.functions) analyses.set(fn.name, await analyseFunction(packaged, fn));
    const differing = packaged.functions.filter((fn) => !readZip(fn.zip).find((e) => e.name === fn.bundle)?.content().equals(analyses.get(fn.name)?.js as Buffer));
    console.log(`metafile rebuilds identical to the zips' code: ${packaged.functions.length - differing.length}/${packaged.functions.length}${differing.length ? ` (differ: ${differing.map((fn) => fn.name).join(', ')})` : ''}`);
    writeComposition(packaged, analyses);
    console.log(`largest modules of each bundle: ${COMPOSITION_FILE.slice(PROJECT_ROOT.length + 1)}`);

    const floors = await buildFloors(packaged, analyses);
    const taskRoot = (name: string) => join(packaged.serviceDir, '.cold-start', name);
    const subjects: Subject[] = packaged.functions.map((fn) => ({ name: fn.name, file: unpack(fn, taskRoot(fn.name)), exportsHandler: true, cwd: taskRoot(fn.name), env: lambdaEnv(fn, taskRoot(fn.name)) }));
    const nodeOptions = { NODE_OPTIONS: packaged.functions[0]?.environment.NODE_OPTIONS ?? '' };
    const floorSubjects = [...new Map([...floors.values()].map((f) => [f.key, f])).values()].map((f) => ({
      name: f.key,
      file: f.file,
      cwd: dirname(f.file),
      env: lambdaEnv({ name: f.key, environment: nodeOptions }, dirname(f.file)),
    }));
    const bare: Subject = { name: 'bare', cwd: packaged.serviceDir, env: lambdaEnv({ name: 'bare', environment: nodeOptions }, packaged.serviceDir) };
    const load = () => (loadavg()[0] as number).toFixed(1);
    const loadAtStart = load();
    console.log(`cold starts: ${subjects.length} functions, ${floorSubjects.length} floors and a bare node, ${RUNS} rounds (node ${process.version}, ${cpus().length} cores)`);
    const medians = await measureInterleaved([...subjects, ...floorSubjects], bare, RUNS, (round) => process.stdout.write(round === RUNS ? `${round}\n` : `${round} `));
    const bareMedians = medians.get('bare') as Medians;
    const against = (name: string) => {
      const m = medians.get(name) as Medians;
      return { ms: m.wallMs, ratio: m.wallMs / bareMedians.wallMs, cpuRatio: m.cpuMs / bareMedians.cpuMs };
    };
    const figures: FunctionFigure[] = packaged.functions.map((fn) => {
      const sizes = zipSizes(fn.zip);
      const floor = floors.get(fn.name) as Floor;
      const own = against(fn.name);
      const base = against(floor.key);
      return {
        name: fn.name,
        zipBytes: sizes.bytes,
        zipWithoutMapBytes: sizes.bytes - sizes.sourceMap,
        coldStartMs: own.ms,
        bareNodeMs: bareMedians.wallMs,
        ratio: own.ratio,
        cpuRatio: own.cpuRatio,
        goal: coldStartGoal(fn.name),
        floor: { packages: floor.packages, zipBytes: floor.zipBytes, ratio: base.ratio, cpuRatio: base.cpuRatio },
      };
    });
    console.log('');
    printTable(figures, bareMedians);
    console.log(`machine load (1-minute average): ${loadAtStart} at the start, ${load()} at the end`);
    console.log('floors (packages loaded at start):');
    for (const f of floorSubjects) {
      const users = packaged.functions.filter((fn) => floors.get(fn.name)?.key === f.name).map((fn) => fn.name);
      console.log(`  ${f.name}: ${(floors.get(users[0] as string) as Floor).packages.join(', ')} (${users.join(', ')})`);
    }
    publishFigures({ functions: figures });
  } finally {
    packaged.remove();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
