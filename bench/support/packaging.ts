// `serverless package --stage prod` as an operator runs it (no cloud credentials, no network), into a temporary copy of
// the working tree, and what came out: each function's zip, handler, environment and IAM actions, and the esbuild
// options serverless-esbuild built it with, so that a bundle can be rebuilt byte for byte with a metafile.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import type { BuildOptions, Plugin } from 'esbuild';

export const PROJECT_ROOT = join(__dirname, '..', '..');

/** The prod stage's required params (serverless.yml has no default for them), with placeholder values. */
export const PROD_PARAMS = { vpcSubnetIds: 'subnet-0aaa1111,subnet-0bbb2222', vpcSecurityGroupIds: 'sg-0ccc3333', alarmEmail: 'alarms@example.com' };

/** Dummy credentials (the CLI wants some), no instance metadata probe, no telemetry. */
export const offlineEnv = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? tmpdir(),
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_EC2_METADATA_DISABLED: 'true',
  SLS_TELEMETRY_DISABLED: '1',
  SLS_NOTIFICATIONS_MODE: 'off',
};

/** `--param=key=value` for each stage param. */
export const paramArgs = (params: Record<string, string>) => Object.entries(params).map(([key, value]) => `--param=${key}=${value}`);

const NOT_COPIED = new Set(['node_modules', '.git', '.serverless', '.esbuild', '.local-data', 'coverage', 'bench', 'client']);

export type PackagedFunction = {
  /** The function's key in serverless.yml (`getStores`). */
  name: string;
  /** `functions/get-stores/handler.ts` */
  entry: string;
  /** `functions/get-stores/handler.js`, the handler's file inside the zip. */
  bundle: string;
  zip: string;
  /** What Lambda would set from serverless.yml: the provider's variables with the function's own over them. */
  environment: Record<string, string>;
  /** Every IAM action its role allows (`dynamodb:GetItem`, `ssm:GetParametersByPath`, ...). */
  iamActions: string[];
};

export type Packaged = {
  /** The copy of the working tree that was packaged (its own .esbuild/, so no race with another package). */
  serviceDir: string;
  functions: PackagedFunction[];
  /** serverless.yml's custom.esbuild, resolved. */
  esbuild: Record<string, unknown>;
  seconds: number;
  remove(): void;
};

const run = promisify(execFile);

function copyOfTree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wx-shop-bundles-'));
  cpSync(PROJECT_ROOT, dir, { recursive: true, filter: (source) => !NOT_COPIED.has(relative(PROJECT_ROOT, source).split('/')[0] as string) });
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  // Read by the local stage's params only; an empty stack file keeps the prod package independent of any running stack.
  mkdirSync(join(dir, '.local-data'));
  return dir;
}

type Statement = { Action: string | string[] };
type ServerlessState = {
  service: {
    provider: { environment?: Record<string, string>; compiledCloudFormationTemplate: { Resources: Record<string, { Properties: any }> } };
    custom: { esbuild: Record<string, unknown> };
    functions: Record<string, { handler: string; environment?: Record<string, string> }>;
  };
};

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** The actions of the function's role, found through its Lambda resource (`GetStoresLambdaFunction`). */
function iamActions(resources: ServerlessState['service']['provider']['compiledCloudFormationTemplate']['Resources'], name: string): string[] {
  const fn = resources[`${name[0]?.toUpperCase()}${name.slice(1)}LambdaFunction`];
  const role = fn && resources[fn.Properties.Role?.['Fn::GetAtt']?.[0]];
  if (!role) throw new Error(`no Lambda function or role for ${name} in the compiled template`);
  const statements: Statement[] = role.Properties.Policies.flatMap((policy: any) => policy.PolicyDocument.Statement);
  return [...new Set(statements.flatMap((statement) => list(statement.Action)))].sort();
}

/** Packages the prod stage of a copy of the working tree; `remove()` deletes the copy and its zips. */
export async function packageProd(): Promise<Packaged> {
  const serviceDir = copyOfTree();
  const out = join(serviceDir, 'prod-package');
  const started = Date.now();
  try {
    const params = paramArgs(PROD_PARAMS);
    await run(join(PROJECT_ROOT, 'node_modules', '.bin', 'serverless'), ['package', '--stage', 'prod', '--package', out, ...params], {
      cwd: serviceDir,
      env: offlineEnv,
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    rmSync(serviceDir, { recursive: true, force: true });
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`serverless package failed:\n${`${stdout}\n${stderr}`.trim().split('\n').slice(-30).join('\n')}`);
  }
  const seconds = (Date.now() - started) / 1000;
  const { service } = JSON.parse(readFileSync(join(out, 'serverless-state.json'), 'utf8')) as ServerlessState;
  const resources = service.provider.compiledCloudFormationTemplate.Resources;
  const functions = Object.entries(service.functions).map(([name, fn]) => {
    const file = fn.handler.slice(0, fn.handler.lastIndexOf('.'));
    return {
      name,
      entry: `${file}.ts`,
      bundle: `${file}.js`,
      zip: join(out, `${name}.zip`),
      environment: { ...service.provider.environment, ...fn.environment },
      iamActions: iamActions(resources, name),
    };
  });
  return { serviceDir, functions, esbuild: service.custom.esbuild, seconds, remove: () => rmSync(serviceDir, { recursive: true, force: true }) };
}

/** serverless-esbuild's own options, which esbuild would refuse (bundle.js of serverless-esbuild 1.57.2). */
const PLUGIN_ONLY_OPTIONS = [
  'concurrency',
  'zipConcurrency',
  'exclude',
  'nativeZip',
  'packager',
  'packagePath',
  'watch',
  'keepOutputDirectory',
  'packagerOptions',
  'installExtraArgs',
  'outputFileExtension',
  'outputBuildFolder',
  'outputWorkFolder',
  'nodeExternals',
  'skipBuild',
  'skipRebuild',
  'skipBuildExcludeFns',
  'stripEntryResolveExtensions',
  'disposeContext',
  'plugins',
  'config',
];

/**
 * The esbuild options serverless-esbuild derives from custom.esbuild: its own keys dropped, `exclude` added to
 * `external`, `plugins` (a file exporting plugins, relative to the service) loaded. `withPlugins: false` leaves
 * the plugins out: ours only rewrite the source maps after the build, never the code.
 */
export function esbuildOptions(custom: Record<string, unknown>, serviceDir: string, withPlugins: boolean): BuildOptions {
  const options = Object.fromEntries(Object.entries(custom).filter(([key]) => !PLUGIN_ONLY_OPTIONS.includes(key))) as BuildOptions;
  const exclude = list((custom.exclude as string | string[] | undefined) ?? []);
  const pluginsFile = custom.plugins as string | undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const plugins: Plugin[] = withPlugins && pluginsFile ? list(require(join(serviceDir, pluginsFile)) as Plugin | Plugin[]) : [];
  // A relative alias is relative to the service; absolute, it holds whatever working directory a build runs in.
  const alias = Object.fromEntries(Object.entries(options.alias ?? {}).map(([from, to]) => [from, to.startsWith('.') ? join(serviceDir, to) : to]));
  return { ...options, alias, external: [...list(options.external ?? []), ...(exclude.includes('*') ? [] : exclude)], plugins };
}
