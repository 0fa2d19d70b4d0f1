// What a function's bundle is made of: the bundle rebuilt with serverless-esbuild's options plus a metafile (every
// module and the bytes it put into the output), and which clients (SDKs and our own adapters) it carries.
import { build, type Metafile } from 'esbuild';
import { join } from 'node:path';
import { esbuildOptions, type Packaged, type PackagedFunction } from './packaging';

/** The clients a bundle may carry, each recognised by a module only it brings. */
export const CLIENTS = {
  dynamodb: { label: '@aws-sdk/client-dynamodb', module: /^node_modules\/@aws-sdk\/client-dynamodb\// },
  secrets: { label: 'SSM secrets reader (shared/config/secrets.ts)', module: /^shared\/config\/secrets\.ts$/ },
  mq: { label: '@aliyunmq/mq-http-sdk', module: /^node_modules\/@aliyunmq\/mq-http-sdk\// },
  redis: { label: 'ioredis', module: /^node_modules\/ioredis\// },
  wechatPay: { label: 'WeChat Pay signing (shared/adapters/wechat/pay-http.ts, pay-signature.ts)', module: /^shared\/adapters\/wechat\/pay-(http|signature)\.ts$/ },
  wechatApi: { label: 'WeChat server API (shared/adapters/wechat/wx-api.ts)', module: /^shared\/adapters\/wechat\/wx-api\.ts$/ },
} as const;
export type Client = keyof typeof CLIENTS;
export const CLIENT_KEYS = Object.keys(CLIENTS) as Client[];

/**
 * A module's path from the project: `node_modules/ioredis/built/Redis.js`, `shared/config/env.ts`. node_modules is a
 * symlink in the packaged copy, which esbuild resolves, so a dependency's path may start with any number of `../`.
 */
export function modulePath(input: string): string {
  const at = input.indexOf('node_modules/');
  return at >= 0 ? input.slice(at) : input;
}

/** `ioredis`, `@aws-sdk/client-dynamodb`, or `(ours) shared/adapters` for our own modules. */
export function packageOf(module: string): string {
  const inPackage = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(module);
  return inPackage ? (inPackage[1] as string) : `(ours) ${module.split('/').slice(0, 2).join('/')}`;
}

export type BundleAnalysis = {
  /** The bundle's code, as esbuild wrote it. */
  js: Buffer;
  /** Every module in the bundle and the bytes of output it accounts for. */
  inputs: Record<string, number>;
  metafile: Metafile;
};

/**
 * Builds a function's bundle again with the options serverless-esbuild used, in memory, with a metafile. The code is
 * what the zip holds (the budget test compares them byte for byte); our plugins only rewrite source maps, so they are
 * left out.
 */
export async function analyseFunction(packaged: Packaged, fn: PackagedFunction): Promise<BundleAnalysis> {
  const result = await build({
    ...esbuildOptions(packaged.esbuild, packaged.serviceDir, false),
    entryPoints: [fn.entry],
    absWorkingDir: packaged.serviceDir,
    outdir: join(packaged.serviceDir, '.bundle-analysis', fn.name),
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const js = result.outputFiles.find((file) => file.path.endsWith('.js'));
  if (!js) throw new Error(`esbuild wrote no bundle for ${fn.entry}`);
  return { js: Buffer.from(js.contents), inputs: entryInputs(result.metafile), metafile: result.metafile };
}

/** The modules of a one-entry build's bundle, with the bytes each put into it. */
export function entryInputs(metafile: Metafile): Record<string, number> {
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined);
  if (!output) throw new Error('the metafile has no entry point output');
  return Object.fromEntries(Object.entries(output.inputs).map(([path, input]) => [modulePath(path), input.bytesInOutput]));
}

/** The clients whose modules are in the bundle. */
export const clientsIn = (modules: string[]): Client[] => CLIENT_KEYS.filter((client) => modules.some((m) => CLIENTS[client].module.test(m)));

export type Share = { name: string; bytes: number };

const largestFirst = (entries: Array<[string, number]>, count: number): Share[] =>
  entries
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, bytes]) => ({ name, bytes }));

export const topInputs = (inputs: Record<string, number>, count: number): Share[] => largestFirst(Object.entries(inputs), count);

export function topPackages(inputs: Record<string, number>, count: number): Share[] {
  const totals = new Map<string, number>();
  for (const [module, bytes] of Object.entries(inputs)) totals.set(packageOf(module), (totals.get(packageOf(module)) ?? 0) + bytes);
  return largestFirst([...totals], count);
}
