import * as z from '../schemas/zod';

/** A missing or malformed configuration variable. The message names every variable at fault. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Record<string, string | undefined>;
type Shape = Record<string, z.ZodMiniType>;
type Parsed<S extends Shape> = z.infer<z.ZodMiniObject<S>>;

/** The environment with empty values removed: serverless.yml writes '' for "not set". */
export function effectiveEnv(env: Env = process.env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
}

/**
 * Parses one section of configuration from the environment. The keys of `shape` are the variable names.
 * Fails with a ConfigError that names each missing or malformed variable.
 */
export function parseEnv<S extends Shape>(section: string, shape: S, env: Env = process.env): Parsed<S> {
  const values = effectiveEnv(env);
  const result = z.object(shape).safeParse(values);
  if (result.success) return result.data as Parsed<S>;
  const problems = result.error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? '?');
    return values[variable] === undefined ? `${variable} is required but not set` : `${variable} is invalid: ${issue.message}`;
  });
  throw new ConfigError(`${section} configuration: ${problems.join('; ')}`);
}

/** Parses a section once per container (at first use, normally at module load) and returns the same value after. */
export function configSection<S extends Shape>(section: string, shape: S): () => Parsed<S> {
  let parsed: Parsed<S> | undefined;
  return () => (parsed ??= parseEnv(section, shape));
}

export const envUrl = z.url();
export const envPositiveInt = z.coerce.number().check(z.int(), z.positive());
export const envString = z.string().check(z.minLength(1));
