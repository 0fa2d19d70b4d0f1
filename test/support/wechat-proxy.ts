import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxiedRequest = { method: string; path: string; body: string };

/**
 * What the proxy does with one request: pass it on to WeChat (the stand-in); answer WeChat's "system busy"
 * (errcode -1, a refusal that retrying fixes) without passing it on; or pass it on and never answer, so that the
 * caller's timeout fires after WeChat acted (the answer lost on the way back).
 */
export type ProxyAction = 'forward' | 'busy' | 'loseAnswer';

export type WechatProxy = {
  url: string;
  /** Decides per request; `forward` unless set. */
  rule: (request: ProxiedRequest) => ProxyAction;
  /** How many requests got each action. */
  counts: Record<ProxyAction, number>;
  /** WeChat unreachable: the port refuses connections until `up()`. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
};

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** An HTTP hop between our adapters and the WeChat stand-in, on a fixed loopback port, to cut or spoil traffic. */
export async function startWechatProxy(target: string): Promise<WechatProxy> {
  const held = new Set<ServerResponse>();
  let port = 0;
  let server: Server | undefined;

  const proxy: WechatProxy = {
    url: '',
    rule: () => 'forward',
    counts: { forward: 0, busy: 0, loseAnswer: 0 },
    down: async () => {
      const closing = server;
      server = undefined;
      if (!closing) return;
      for (const response of held) response.destroy();
      held.clear();
      closing.closeAllConnections();
      await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
    up: async () => {
      server = createServer((request, response) => void handle(request, response));
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
      proxy.url = `http://127.0.0.1:${port}`;
    },
    close: () => proxy.down(),
  };

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const body = await readBody(request);
    const action = proxy.rule({ method: request.method ?? 'GET', path: request.url ?? '/', body });
    proxy.counts[action] += 1;
    if (action === 'busy') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ errcode: -1, errmsg: 'system error' }));
      return;
    }
    const answer = await fetch(`${target}${request.url}`, {
      method: request.method,
      headers: { 'content-type': request.headers['content-type'] ?? 'application/json' },
      body: request.method === 'GET' ? undefined : body,
    });
    const text = await answer.text();
    if (action === 'loseAnswer') {
      held.add(response);
      return;
    }
    response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(text);
  }

  await proxy.up();
  return proxy;
}
