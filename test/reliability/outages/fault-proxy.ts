import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An answer the proxy gives instead of the dependency's (a throttle, a 5xx). */
export type CannedAnswer = { status: number; headers: Record<string, string>; body: string };

/**
 * `forward`: pass every request on, headers and body untouched; `down`: the port refuses connections; `freeze`:
 * connections are accepted and never answered (a dependency that hangs); or a canned answer for every request.
 */
export type ProxyMode = 'forward' | 'down' | 'freeze' | CannedAnswer;

export type FaultProxy = { url: string; readonly mode: ProxyMode; set(mode: ProxyMode): Promise<void>; close(): Promise<void> };

function forward(target: URL, request: IncomingMessage, response: ServerResponse): void {
  const upstream = httpRequest({ host: target.hostname, port: target.port, method: request.method, path: request.url, headers: request.headers }, (answer) => {
    response.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(response);
  });
  upstream.on('error', () => response.destroy());
  request.pipe(upstream);
}

/** An HTTP hop on a fixed loopback port in front of a dependency, to take it down, freeze it or make it refuse. */
export async function startFaultProxy(targetUrl: string): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  let mode: ProxyMode = 'forward';
  let server: Server | undefined;
  let port = 0;
  const held = new Set<ServerResponse>();

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    if (mode === 'forward') return forward(target, request, response);
    if (mode === 'freeze') {
      held.add(response);
      request.resume();
      return;
    }
    const answer = mode as CannedAnswer;
    request.resume();
    request.on('end', () => response.writeHead(answer.status, answer.headers).end(answer.body));
  };
  const listen = async () => {
    server = createServer(handle);
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  };
  const stop = async () => {
    const closing = server;
    server = undefined;
    for (const response of held) response.destroy();
    held.clear();
    if (!closing) return;
    closing.closeAllConnections();
    await new Promise<void>((resolve) => closing.close(() => resolve()));
  };

  await listen();
  return {
    url: `http://127.0.0.1:${port}`,
    get mode() {
      return mode;
    },
    async set(next) {
      // Leaving a freeze drops the held requests, as a dependency that comes back resets its connections.
      if (mode === 'freeze' || mode === 'down') await stop();
      mode = next;
      if (next === 'down') await stop();
      else if (!server) await listen();
    },
    close: stop,
  };
}

/** What DynamoDB answers when it throttles (the SDK maps `__type` to ThrottlingException). */
export const dynamoThrottle: CannedAnswer = {
  status: 400,
  headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'throttled-by-the-test-proxy' },
  body: JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'Rate of requests exceeds the allowed throughput.' }),
};

/** DynamoDB failing on its side. */
export const dynamoInternalError: CannedAnswer = {
  status: 500,
  headers: { 'content-type': 'application/x-amz-json-1.0' },
  body: JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Internal server error' }),
};
