import { ConfigError, effectiveEnv } from './env';

/**
 * Secrets are never written into serverless.yml or the function's environment on AWS. A deployed function gets
 * `SECRETS_SSM_PATH` (e.g. `/wx-shop/prod/`) and reads the SecureString parameters under it once per container;
 * the parameter's last path segment is the secret's name (`/wx-shop/prod/MQ_ACCESS_KEY_SECRET`).
 * Locally (`npm start`, tests) the same names are plain environment variables.
 */
export type SecretName =
  | 'ADMIN_API_KEY'
  | 'MQ_ACCESS_KEY_SECRET'
  | 'SESSION_TOKEN_PEPPER'
  | 'WX_APP_SECRET'
  | 'WXPAY_MERCHANT_PRIVATE_KEY'
  | 'WXPAY_API_V3_KEY';

let ssmSecrets: Promise<Record<string, string>> | undefined;

async function readSsmPath(path: string): Promise<Record<string, string>> {
  // Loaded on demand: only deployed functions that hold secrets pay for the SSM client.
  const { SSMClient, GetParametersByPathCommand } = await import('@aws-sdk/client-ssm');
  const client = new SSMClient({});
  const values: Record<string, string> = {};
  let nextToken: string | undefined;
  do {
    const page = await client.send(new GetParametersByPathCommand({ Path: path, WithDecryption: true, NextToken: nextToken }));
    for (const parameter of page.Parameters ?? []) {
      const name = parameter.Name?.split('/').pop();
      if (name && parameter.Value !== undefined) values[name] = parameter.Value;
    }
    nextToken = page.NextToken;
  } while (nextToken);
  client.destroy();
  return values;
}

/** Reads the named secrets (once per container on AWS). Fails with a ConfigError naming every one that is missing. */
export async function loadSecrets<N extends SecretName>(names: readonly N[]): Promise<Record<N, string>> {
  const env = effectiveEnv();
  const path = env.SECRETS_SSM_PATH;
  let source: Record<string, string | undefined> = env;
  if (path) {
    ssmSecrets ??= readSsmPath(path).catch((error: unknown) => {
      ssmSecrets = undefined;
      throw error;
    });
    source = await ssmSecrets;
  }
  const missing = names.filter((name) => !source[name]);
  if (missing.length > 0) {
    const where = path ? `SSM parameters under ${path}` : 'the environment';
    throw new ConfigError(`secrets missing from ${where}: ${missing.join(', ')}`);
  }
  return Object.fromEntries(names.map((name) => [name, source[name]])) as Record<N, string>;
}
