import { createHash, createHmac, type Hash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
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
  | 'WX_APP_SECRET'
  | 'WXPAY_MERCHANT_PRIVATE_KEY'
  | 'WXPAY_API_V3_KEY';

let ssmSecrets: Promise<Record<string, string>> | undefined;

type SourceData = string | ArrayBuffer | ArrayBufferView;

class NodeSha256 {
  private readonly hash: Hash;
  constructor(secret?: SourceData) {
    this.hash = secret ? (createHmac('sha256', toBuffer(secret)) as unknown as Hash) : createHash('sha256');
  }
  update(data: SourceData): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
}

function toBuffer(data: SourceData): Buffer {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

type SsmPage = { Parameters?: Array<{ Name?: string; Value?: string }>; NextToken?: string };

/**
 * Reads every parameter under `path` with one signed SSM API call per page. A hand-made request instead of
 * @aws-sdk/client-ssm keeps 200 KB out of every function bundle; the signing is AWS's own SigV4 signer, and Lambda
 * always provides its role's credentials in the environment.
 */
async function readSsmPath(path: string): Promise<Record<string, string>> {
  const env = process.env;
  const region = env.AWS_REGION ?? 'us-east-1';
  // SSM_ENDPOINT lets the tests aim the call at a local stand-in.
  const endpoint = new URL(env.SSM_ENDPOINT ?? `https://ssm.${region}.amazonaws.com`);
  const hostname = endpoint.host;
  const signer = new SignatureV4({
    service: 'ssm',
    region,
    sha256: NodeSha256,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '', sessionToken: env.AWS_SESSION_TOKEN },
  });
  const values: Record<string, string> = {};
  let nextToken: string | undefined;
  do {
    const body = JSON.stringify({ Path: path, WithDecryption: true, Recursive: false, NextToken: nextToken });
    const request = await signer.sign({
      method: 'POST',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      port: endpoint.port ? Number(endpoint.port) : undefined,
      path: '/',
      headers: { host: hostname, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonSSM.GetParametersByPath' },
      body,
    });
    const response = await fetch(new URL('/', endpoint), { method: 'POST', headers: request.headers, body, signal: AbortSignal.timeout(3_000) });
    if (!response.ok) throw new ConfigError(`reading secrets under ${path} failed: SSM answered ${response.status}`);
    const page = (await response.json()) as SsmPage;
    for (const parameter of page.Parameters ?? []) {
      const name = parameter.Name?.split('/').pop();
      if (name && parameter.Value !== undefined) values[name] = parameter.Value;
    }
    nextToken = page.NextToken;
  } while (nextToken);
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
