// The floor of a function's cold start: a bundle of nothing but the packages its code loads at start, imported as our
// code imports them (the same named bindings, so that tree-shaking keeps what the function keeps), built with the
// functions' own esbuild options. What a function loads only through `import()` is not part of its start.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { zip } from 'serverless-esbuild/dist/utils';
import { modulePath } from './bundle-contents';
import { esbuildOptions, type Packaged } from './packaging';

/** How our code imports one package: named bindings, its default export, the whole namespace, members read through
 * a module of ours that re-exports it (`z.object` through `export * from 'zod/mini'`). */
export type Bindings = { named: Set<string>; default: boolean; namespace: boolean; members: Set<string> };

const ours = (input: string) => !modulePath(input).startsWith('node_modules/');

/** Our modules the entry loads at start: static imports from the entry, through our own modules only. */
function loadedAtStart(metafile: Metafile, entry: string): string[] {
  const seen = new Set([entry]);
  const queue = [entry];
  for (let input = queue.pop(); input !== undefined; input = queue.pop()) {
    for (const record of metafile.inputs[input]?.imports ?? []) {
      if (record.kind === 'dynamic-import' || seen.has(record.path) || !ours(record.path) || !metafile.inputs[record.path]) continue;
      seen.add(record.path);
      queue.push(record.path);
    }
  }
  return [...seen];
}

// `import X, { a, type B, c as d } from 'pkg'`, `import * as z from 'pkg'`, `export * from 'pkg'`; type-only ones
// are erased by the compiler and load nothing.
const STATEMENT = /\b(import|export)\s+(?!type\s)([^;]*?)\s+from\s+'([^']+)'/g;
const NAMESPACE = /^\*\s+as\s+(\w+)$/;

/** `[kind, clause, specifier]` of each import or export from a module. */
/** Every binding any of `imports` takes, per package. */
export function unionOf(imports: Array<Map<string, Bindings>>): Map<string, Bindings> {
  const union = new Map<string, Bindings>();
  for (const [specifier, bindings] of imports.flatMap((map) => [...map])) {
    const merged = union.get(specifier) ?? noBindings();
    union.set(specifier, {
      named: new Set([...merged.named, ...bindings.named]),
      members: new Set([...merged.members, ...bindings.members]),
      default: merged.default || bindings.default,
      namespace: merged.namespace || bindings.namespace,
    });
  }
  return union;
}

const readStatements = (source: string) => [...source.matchAll(STATEMENT)].map((m) => [m[1], (m[2] as string).trim(), m[3]] as [string, string, string]);

function addBindings(target: Bindings, clause: string): void {
  const braces = /\{([^}]*)\}/.exec(clause)?.[1];
  for (const part of braces?.split(',') ?? []) {
    const name = part.trim().split(/\s+as\s+/)[0]?.trim();
    if (name && !name.startsWith('type ')) target.named.add(name);
  }
  const outside = clause.replace(/\{[^}]*\}/, '').replace(/,/g, ' ').trim();
  if (NAMESPACE.test(outside)) target.namespace = true;
  else if (/^\w+$/.test(outside)) target.default = true;
}

const noBindings = (): Bindings => ({ named: new Set(), default: false, namespace: false, members: new Set() });

/**
 * The packages a function's code imports at start, with the bindings it takes. `export * from 'pkg'` (our zod
 * module) counts as the members our code reads through its namespace imports of that module (`z.object`...).
 */
export function startupImports(metafile: Metafile, sourceOf: (input: string) => string): Map<string, Bindings> {
  const entry = Object.values(metafile.outputs).find((o) => o.entryPoint)?.entryPoint as string;
  const modules = loadedAtStart(metafile, entry);
  const found = new Map<string, Bindings>();
  const of = (specifier: string) => found.get(specifier) ?? (found.set(specifier, noBindings()).get(specifier) as Bindings);
  const starExports = new Map<string, string[]>();
  for (const input of modules) {
    const packages = new Map((metafile.inputs[input]?.imports ?? []).filter((r) => r.original && !ours(r.path) && r.kind !== 'dynamic-import').map((r) => [r.original as string, r.path]));
    for (const [kind, clause, specifier] of readStatements(sourceOf(input))) {
      if (!packages.has(specifier)) continue;
      if (kind === 'export' && clause === '*') starExports.set(input, [...(starExports.get(input) ?? []), specifier]);
      else addBindings(of(specifier), clause);
    }
  }
  for (const input of modules) {
    const records = metafile.inputs[input]?.imports ?? [];
    for (const [, clause, specifier] of readStatements(sourceOf(input))) {
      const alias = NAMESPACE.exec(clause)?.[1];
      const target = records.find((r) => r.original === specifier)?.path;
      const reexported = target && starExports.get(target);
      if (!alias || !reexported) continue;
      const members = [...sourceOf(input).matchAll(new RegExp(`\\b${alias}\\.([A-Za-z_$][\\w$]*)`, 'g'))].map((m) => m[1] as string);
      for (const specifier of reexported) for (const member of members) of(specifier).members.add(member);
    }
  }
  return found;
}


/** `@aws-sdk/lib-dynamodb` for `@aws-sdk/lib-dynamodb`, `zod` for `zod/mini`. */
export const packageName = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/**
 * An entry that re-exports exactly these bindings, so that the bundle keeps them and nothing of ours. Members read
 * through a namespace may be types (`z.infer`, `z.core.$ZodType`): of those, only the functions and classes the
 * package exports at run time are kept.
 */
export function floorEntry(imports: Map<string, Bindings>, serviceDir: string): string {
  const load = createRequire(join(serviceDir, 'package.json'));
  let n = 0;
  const lines = [...imports].sort(([a], [b]) => a.localeCompare(b)).flatMap(([specifier, bindings]) => {
    const from = `from '${specifier}';`;
    const runtime = load(specifier) as Record<string, unknown>;
    const members = [...bindings.members].filter((name) => typeof runtime[name] === 'function' && !bindings.named.has(name));
    const named = [...bindings.named, ...members, ...(bindings.default ? ['default'] : [])].sort().map((name) => `${name} as b${n++}`);
    return [...(named.length ? [`export { ${named.join(', ')} } ${from}`] : []), ...(bindings.namespace ? [`export * as b${n++} ${from}`] : [])];
  });
  return `${lines.join('\n')}\n`;
}

export type FloorBundle = { dir: string; file: string; zipBytes: number };

/** Builds a floor entry with the functions' options (plugins included) and zips it as serverless-esbuild does. */
export async function buildFloor(packaged: Packaged, key: string, source: string): Promise<FloorBundle> {
  // Inside the packaged copy, so that the packages resolve from its node_modules as the functions' do.
  const dir = join(packaged.serviceDir, '.bench-floors', key);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'floor.ts'), source);
  const out = join(dir, 'out');
  await build({
    ...esbuildOptions(packaged.esbuild, packaged.serviceDir, true),
    entryPoints: [join(dir, 'floor.ts')],
    // Our source-map plugin reads the outputs by the metafile's paths, which are relative to the working directory.
    absWorkingDir: process.cwd(),
    outdir: out,
    logLevel: 'silent',
  });
  const zipPath = join(dir, 'floor.zip');
  await zip(zipPath, [
    { rootPath: join(out, 'floor.js'), localPath: 'floor.js' },
    { rootPath: join(out, 'floor.js.map'), localPath: 'floor.js.map' },
  ]);
  return { dir: out, file: join(out, 'floor.js'), zipBytes: readFileSync(zipPath).length };
}
