import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { overrideEnv } from '../../test/support/env';
import { loadSecrets } from './secrets';

// A stand-in for the SSM API: checks the SigV4 signature independently (the AWS signing algorithm, written out
// here with node:crypto) and serves parameters in pages of two.
const CREDENTIALS = { id: 'AKIDEXAMPLE', secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', token: 'session-token' };
const PARAMETERS = [
  { Name: '/wx-shop/test/ADMIN_API_KEY', Value: 'admin-from-ssm' },
  { Name: '/wx-shop/test/MQ_ACCESS_KEY_SECRET', Value: 'mq-secret-from-ssm' },
  { Name: '/wx-shop/test/WX_APP_SECRET', Value: 'wx-secret-from-ssm' },
];

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

function expectedSignature(req: IncomingMessage, body: string): string {
  const auth = String(req.headers.authorization);
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(auth)?.[1] ?? '';
  const date = String(req.headers['x-amz-date']);
  const scope = `${date.slice(0, 8)}/us-east-1/ssm/aws4_request`;
  const canonicalHeaders = signedHeaders
    .split(';')
    .map((name) => `${name}:${String(req.headers[name]).trim()}\n`)
    .join('');
  const canonicalRequest = ['POST', '/', '', canonicalHeaders, signedHeaders, sha256(body)].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', date, scope, sha256(canonicalRequest)].join('\n');
  let key: Buffer = hmac(`AWS4${CREDENTIALS.secret}`, date.slice(0, 8));
  for (const part of ['us-east-1', 'ssm', 'aws4_request']) key = hmac(key, part);
  return hmac(key, stringToSign).toString('hex');
}

let server: Server;
let calls: Array<{ target: string; path: string; signatureOk: boolean; token: string | undefined; nextToken?: string }>;
let restoreEnv: () => void;

beforeAll(async () => {
  calls = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const request = JSON.parse(body) as { Path: string; WithDecryption: boolean; NextToken?: string };
      const signature = /Signature=([0-9a-f]+)/.exec(String(req.headers.authorization))?.[1];
      calls.push({
        target: String(req.headers['x-amz-target']),
        path: request.Path,
        signatureOk: signature === expectedSignature(req, body) && String(req.headers.authorization).includes(`Credential=${CREDENTIALS.id}/`),
        token: req.headers['x-amz-security-token'] as string | undefined,
        nextToken: request.NextToken,
      });
      const start = request.NextToken ? Number(request.NextToken) : 0;
      const page = { Parameters: PARAMETERS.slice(start, start + 2), NextToken: start + 2 < PARAMETERS.length ? String(start + 2) : undefined };
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(page));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  restoreEnv = overrideEnv({
    SECRETS_SSM_PATH: '/wx-shop/test/',
    SSM_ENDPOINT: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: CREDENTIALS.id,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secret,
    AWS_SESSION_TOKEN: CREDENTIALS.token,
    ADMIN_API_KEY: 'from-the-environment-must-not-win',
  });
});
afterAll(async () => {
  restoreEnv();
  await new Promise((resolve) => server.close(resolve));
});

describe('loadSecrets from SSM', () => {
  it('reads every page under the path with a valid SigV4 signature, once per container', async () => {
    const first = await loadSecrets(['ADMIN_API_KEY', 'WX_APP_SECRET']);
    const second = await loadSecrets(['MQ_ACCESS_KEY_SECRET']);

    expect(first).toEqual({ ADMIN_API_KEY: 'admin-from-ssm', WX_APP_SECRET: 'wx-secret-from-ssm' });
    expect(second).toEqual({ MQ_ACCESS_KEY_SECRET: 'mq-secret-from-ssm' });
    expect(calls).toHaveLength(2);
    expect(calls.map((c) => c.nextToken)).toEqual([undefined, '2']);
    for (const call of calls) expect(call).toMatchObject({ target: 'AmazonSSM.GetParametersByPath', path: '/wx-shop/test/', signatureOk: true, token: 'session-token' });
  });

  it('names the secrets missing under the path', async () => {
    await expect(loadSecrets(['WXPAY_API_V3_KEY', 'ADMIN_API_KEY'])).rejects.toThrow('secrets missing from SSM parameters under /wx-shop/test/: WXPAY_API_V3_KEY');
  });
});
