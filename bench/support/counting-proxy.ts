// Counting proxies for benchmarks: sit between a process and one of its dependencies on 127.0.0.1 and record every
// round trip that crosses the wire (what it was, when it started and ended), so that round trips are counted, not
// assumed. One for HTTP dependencies (DynamoDB, the MQ HTTP API, WeChat), one for Redis (RESP over TCP).
import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/** One round trip seen by a proxy. Times are performance.now() of the proxy's process, so all proxies share a clock. */
export type ProxiedCall = {
  system: string;
  /** What the call was: `UpdateItem`, `SET`, `GET /sns/jscode2session`, or what `describe` made of it. */
  op: string;
  /** When the request reached the proxy, and when the whole answer had come back from the dependency. */
  start: number;
  end: number;
  /** Which client connection carried it (1, 2, ... in order of opening). */
  connection: number;
  status?: number;
  /** Redis: the commands this round trip carried, when the client sent several in one write (a pipeline, MULTI). */
  commands?: string[];
};

export type CountingProxy = {
  system: string;
  url: string;
  calls: ProxiedCall[];
  /** Client connections opened so far, with when they were opened. */
  connections: number[];
  close(): Promise<void>;
};

export type HttpRequestSeen = { method: string; path: string; headers: IncomingHttpHeaders; body: Buffer };

export type HttpProxyOptions = {
  system: string;
  /** `http://127.0.0.1:port` of the dependency. */
  target: string;
  /** Names a request; the default is `METHOD /path` without the query (which may hold secrets). */
  describe?: (seen: HttpRequestSeen) => string;
};

const loopback = (url: URL) => {
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') throw new Error(`counting proxies only forward to loopback, not ${url.host}`);
};

function listen(server: Server | ReturnType<typeof createServer>): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/**
 * An HTTP proxy that forwards every request unchanged (headers included, so Host and any signature over it stay as
 * the client sent them) and records it. It keeps its own connections to the dependency alive, so that it adds a
 * loopback hop per call but no connection setup.
 */
export async function startHttpCountingProxy(options: HttpProxyOptions): Promise<CountingProxy> {
  const target = new URL(options.target);
  loopback(target);
  const agent = new Agent({ keepAlive: true });
  const calls: ProxiedCall[] = [];
  const connections: number[] = [];
  const describe = options.describe ?? (({ method, path }) => `${method} ${path.split('?')[0]}`);

  const name = (seen: HttpRequestSeen) => {
    try {
      return describe(seen);
    } catch {
      // A request the describer did not expect is still a round trip: count it under its method and path.
      return `${seen.method} ${seen.path.split('?')[0]}`;
    }
  };

  const forward = async (req: IncomingMessage, res: ServerResponse) => {
    const start = performance.now();
    const connection = (req.socket as Socket & { countingId?: number }).countingId ?? 0;
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const body = await readAll(req);
    const call: ProxiedCall = { system: options.system, op: name({ method, path, headers: req.headers, body }), start, end: NaN, connection };
    calls.push(call);
    const upstream = request({ host: target.hostname, port: target.port, method, path, headers: req.headers, agent }, (answer) => {
      call.status = answer.statusCode;
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.on('data', (chunk: Buffer) => res.write(chunk));
      answer.on('end', () => {
        call.end = performance.now();
        res.end();
      });
    });
    upstream.on('error', (error) => {
      call.end = performance.now();
      call.status = 502;
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`counting proxy: ${error.message}`);
    });
    upstream.end(body);
  };
  const server = createServer((req, res) => {
    forward(req, res).catch(() => res.destroy());
  });
  server.on('connection', (socket: Socket & { countingId?: number }) => {
    connections.push(performance.now());
    socket.countingId = connections.length;
  });
  const port = await listen(server);
  return {
    system: options.system,
    url: `http://127.0.0.1:${port}`,
    calls,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * The end of the RESP value that starts at `at` (RESP2, and RESP3's types in case a client says HELLO 3), with its
 * first words when it is an array of bulk strings (a command). Undefined while the value is incomplete.
 */
export function readResp(buf: Buffer, at: number): { end: number; words: string[] } | undefined {
  const lineEnd = buf.indexOf('\r\n', at);
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buf[at] ?? 0);
  const head = buf.toString('latin1', at + 1, lineEnd);
  const afterLine = lineEnd + 2;
  switch (type) {
    case '+':
    case '-':
    case ':':
    case '_':
    case ',':
    case '#':
    case '(':
      return { end: afterLine, words: [] };
    case '$':
    case '!':
    case '=': {
      const length = Number(head);
      if (length < 0) return { end: afterLine, words: [] };
      const end = afterLine + length + 2;
      return end <= buf.length ? { end, words: [buf.toString('utf8', afterLine, afterLine + length)] } : undefined;
    }
    case '*':
    case '~':
    case '>':
    case '%':
    case '|': {
      const count = Number(head) * (type === '%' || type === '|' ? 2 : 1);
      let end = afterLine;
      const words: string[] = [];
      for (let i = 0; i < count; i++) {
        const element = readResp(buf, end);
        if (!element) return undefined;
        if (words.length < 2 && element.words.length === 1) words.push(element.words[0] as string);
        end = element.end;
      }
      return { end, words };
    }
    default:
      // An inline command (`PING\r\n`), as redis-cli may send.
      return { end: afterLine, words: buf.toString('utf8', at, lineEnd).trim().split(/\s+/).slice(0, 2) };
  }
}

/** Takes every complete RESP value off the front of `pending`; returns them and what is left. */
function drain(pending: Buffer): { values: string[][]; rest: Buffer } {
  const values: string[][] = [];
  let at = 0;
  for (let value = readResp(pending, at); value; value = readResp(pending, at)) {
    values.push(value.words);
    at = value.end;
  }
  return { values, rest: pending.subarray(at) };
}

export type RedisProxyOptions = {
  system: string;
  /** `redis://127.0.0.1:port` of the server. */
  target: string;
  /** Names a command from its first words (`['SET', 'wx-shop:session:ab12']`); the default is the command name. */
  describe?: (words: string[]) => string;
};

/**
 * A TCP proxy for Redis that parses the RESP stream both ways. The commands that reach it together (one write of the
 * client: a single command, a pipeline, a MULTI ... EXEC block) are one round trip, named by their commands joined
 * with ` `; it ends when the last of their replies has come back (replies come in command order on a connection).
 * Pub/sub and MONITOR, whose replies do not pair with commands, are not supported.
 */
export async function startRedisCountingProxy(options: RedisProxyOptions): Promise<CountingProxy> {
  const target = new URL(options.target);
  loopback(target);
  const calls: ProxiedCall[] = [];
  const connections: number[] = [];
  const sockets = new Set<Socket>();
  const describe = options.describe ?? ((words: string[]) => (words[0] ?? '?').toUpperCase());

  const server = createTcpServer((client) => {
    connections.push(performance.now());
    const connection = connections.length;
    const upstream = connect({ host: target.hostname, port: Number(target.port || 6379) });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    /** Round trips under way on this connection, oldest first, with how many replies each still waits for. */
    const waiting: Array<{ call: ProxiedCall; replies: number }> = [];
    let fromClient: Buffer = Buffer.alloc(0);
    let fromServer: Buffer = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      const now = performance.now();
      upstream.write(chunk);
      const { values, rest } = drain(Buffer.concat([fromClient, chunk]));
      fromClient = rest;
      if (values.length === 0) return;
      const commands = values.map(describe);
      const call: ProxiedCall = { system: options.system, op: commands.join(' '), start: now, end: NaN, connection, ...(commands.length > 1 ? { commands } : {}) };
      calls.push(call);
      waiting.push({ call, replies: values.length });
    });
    upstream.on('data', (chunk: Buffer) => {
      const now = performance.now();
      const { values, rest } = drain(Buffer.concat([fromServer, chunk]));
      fromServer = rest;
      for (let i = 0; i < values.length; i++) {
        const head = waiting[0];
        if (head && --head.replies === 0) {
          head.call.end = now;
          waiting.shift();
        }
      }
      client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  const port = await listen(server);
  return {
    system: options.system,
    url: `redis://127.0.0.1:${port}`,
    calls,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
