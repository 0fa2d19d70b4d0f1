import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as z from 'zod';

/** A missing or malformed configuration variable. The message names every variable at fault. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * The file the local stack (`npm start`) writes with the endpoints and keys it runs with. It is read only when
 * `IS_LOCAL` is set, which `serverless invoke local` does, so that a local invocation reaches the running stack
 * without flags; a deployed function never reads it.
 */
export const LOCAL_STACK_ENV_FILE = join('.local-data', 'stack-env.json');

type Env = Record<string, string | undefined>;

function localStackEnv(env: Env): Env {
  if (env.IS_LOCAL !== 'true') return {};
  // serverless-esbuild runs the bundle from .esbuild/.build, so look upwards for the project's file.
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    const file = join(dir, LOCAL_STACK_ENV_FILE);
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Env;
    if (dirname(dir) === dir) return {};
  }
}

/** The environment with empty values removed (serverless.yml writes '' for "not set") and local stack values merged under it. */
export function effectiveEnv(env: Env = process.env): Env {
  const merged: Env = { ...localStackEnv(env) };
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== '') merged[key] = value;
  return merged;
}

/**
 * Parses one section of configuration from the environment. The keys of `shape` are the variable names.
 * Fails with a ConfigError that names each missing or malformed variable.
 */
export function parseEnv<S extends z.ZodRawShape>(section: string, shape: S, env: Env = process.env): z.infer<z.ZodObject<S>> {
  const result = z.object(shape).safeParse(effectiveEnv(env));
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? '?');
    const value = effectiveEnv(env)[variable];
    return value === undefined ? `${variable} is required but not set` : `${variable} is invalid: ${issue.message}`;
  });
  throw new ConfigError(`${section} configuration: ${problems.join('; ')}`);
}

/** Parses a section once per container (at first use, normally at module load) and returns the same value after. */
export function configSection<S extends z.ZodRawShape>(section: string, shape: S): () => z.infer<z.ZodObject<S>> {
  let parsed: z.infer<z.ZodObject<S>> | undefined;
  return () => (parsed ??= parseEnv(section, shape));
}

export const envUrl = z.url();
export const envPositiveInt = z.coerce.number().int().positive();
