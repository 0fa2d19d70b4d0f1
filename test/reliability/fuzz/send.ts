import { Agent, request as httpRequest } from 'node:http';
import type { FuzzResponse } from './checks';
import type { FuzzRequest } from './requests';

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/**
 * Sends one request exactly as written (path, method, headers, body bytes) and reads the whole answer. A connection the
 * server closed on purpose after answering (a refused upload) still yields that answer; no answer at all is status 0.
 */
export function send(baseUrl: string, fuzz: FuzzRequest, timeoutMs = 15_000): Promise<FuzzResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    const body = fuzz.body === undefined ? undefined : Buffer.from(fuzz.body, 'utf8');
    const req = httpRequest(
      { host: url.hostname, port: url.port, method: fuzz.method, path: fuzz.path, headers: { ...fuzz.headers, ...(body ? { 'content-length': String(body.length) } : {}) }, agent, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error) => resolve({ status: 0, contentType: '', text: `no answer: ${error.message}` }));
    req.end(body);
  });
}

/** Runs `count` requests, `concurrency` at a time, in the order `next` produces them. */
export async function sendAll(baseUrl: string, count: number, concurrency: number, next: (i: number) => FuzzRequest, onAnswer: (request: FuzzRequest, response: FuzzResponse) => void): Promise<void> {
  let issued = 0;
  const worker = async () => {
    while (issued < count) {
      const request = next(issued++);
      onAnswer(request, await send(baseUrl, request));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

export const closeAgent = () => agent.destroy();
