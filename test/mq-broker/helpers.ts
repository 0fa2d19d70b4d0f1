import { createHash, createHmac } from 'node:crypto';
import { request } from 'node:http';
import { startMqBroker, type MqBroker, type MqBrokerOptions } from '../../local/mq-broker';
import { MQClient, type SdkClient, type SdkMessage, type SdkResponse } from './sdk';

export const ACCESS_KEY_ID = 'test-access-key';
export const ACCESS_KEY_SECRET = 'test-secret-key';

/** Durations short enough for tests that wait for a redelivery or a check-back. */
export const FAST: Partial<MqBrokerOptions> = {
  invisibilitySeconds: 1,
  orderlyInvisibilitySeconds: 1,
  halfCheckIntervalSeconds: 1,
  minTransCheckSeconds: 1,
  maxDeliveries: 3,
};

export type TestBroker = {
  broker: MqBroker;
  logs: Array<Record<string, unknown>>;
  client(secret?: string, accessKeyId?: string): SdkClient;
};

/**
 * The delivery tests make up a topic per test (`unique`) and groups as they go, like a tool that makes up its own
 * names: they run with auto-creation, in the instances they use. topology.test.ts covers the declared-only broker.
 */
export const MADE_UP_NAMES: MqBrokerOptions['topology'] = { instances: ['', 'MQ_INST_123_test', 'MQ_INST_1', 'MQ_INST_2'], autoCreateTopics: true };

export async function startTestBroker(options: Partial<MqBrokerOptions> = {}): Promise<TestBroker> {
  const logs: Array<Record<string, unknown>> = [];
  const broker = await startMqBroker({
    accessKeys: { [ACCESS_KEY_ID]: ACCESS_KEY_SECRET },
    topology: MADE_UP_NAMES,
    log: (entry) => logs.push(entry),
    ...FAST,
    ...options,
  });
  return {
    broker,
    logs,
    client: (secret = ACCESS_KEY_SECRET, accessKeyId = ACCESS_KEY_ID) => new MQClient(broker.url, accessKeyId, secret),
  };
}

let counter = 0;
/** A topic or group name no other test uses (created on first use, see MADE_UP_NAMES). */
export const unique = (prefix: string): string => `${prefix}_${process.pid}_${++counter}`;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 20 ms until it holds, or fails after `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

export type SdkError = Error & { Code?: string; RequestId?: string };

/** The error an SDK call throws; fails the test when the call resolves. */
export async function sdkError(call: Promise<unknown>): Promise<SdkError> {
  try {
    await call;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('expected the SDK call to throw');
}

export type RawResponse = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/** A plain HTTP request to the broker, for request shapes the Node SDK cannot produce (Java, Go, no auth...). */
export function rawRequest(url: string, method: string, target: string, headers: Record<string, string>, body = ''): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${target}`, { method, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export type SignOptions = { contentMd5?: 'hex-base64' | 'rfc' | 'none' | string; date?: Date; secret?: string };

/**
 * Signs a request the way the protocol note (section 2) describes, written here independently of the broker so
 * that raw-request tests do not merely agree with the broker's own code.
 */
export function signedHeaders(method: string, target: string, body: string, options: SignOptions = {}): Record<string, string> {
  const headers: Record<string, string> = {
    date: (options.date ?? new Date()).toUTCString(),
    'x-mq-version': '2015-06-06',
    'content-type': 'text/xml;charset=utf-8',
  };
  const mode = options.contentMd5 ?? 'hex-base64';
  const digest = createHash('md5').update(body, 'utf8');
  if (mode === 'hex-base64') headers['content-md5'] = Buffer.from(digest.digest('hex')).toString('base64');
  else if (mode === 'rfc') headers['content-md5'] = digest.digest('base64');
  else if (mode !== 'none') headers['content-md5'] = mode;
  const toSign = [method, headers['content-md5'] ?? '', headers['content-type'], headers.date, `x-mq-version:2015-06-06\n${target}`].join('\n');
  const signature = createHmac('sha1', options.secret ?? ACCESS_KEY_SECRET).update(toSign).digest('base64');
  return { ...headers, authorization: `MQ ${ACCESS_KEY_ID}:${signature}` };
}

export function signedRequest(url: string, method: string, target: string, body = '', options: SignOptions = {}): Promise<RawResponse> {
  return rawRequest(url, method, target, signedHeaders(method, target, body, options), body);
}

/** Receives until `count` messages arrived (acking none), or fails after `timeoutMs`. */
export async function receive(take: () => Promise<SdkResponse<SdkMessage[]>>, count: number, timeoutMs = 5000): Promise<SdkMessage[]> {
  const got: SdkMessage[] = [];
  const deadline = Date.now() + timeoutMs;
  while (got.length < count) {
    if (Date.now() > deadline) throw new Error(`received ${got.length} of ${count} messages`);
    try {
      got.push(...((await take()).body ?? []));
    } catch (error) {
      if ((error as SdkError).Code !== 'MessageNotExist') throw error;
    }
  }
  return got;
}
