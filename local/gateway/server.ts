import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { serveApiDocument } from '../api-document/serve';
import { serveConsoleFiles } from '../console/static-files';
import { answerAndClose, parseFailureAnswer, sendError } from './http-errors';
import { lambdaContext, loadHandler } from './lambda-runtime';
import { loadRoutes, type Route } from './routes';

/** API Gateway's own payload limit; the functions enforce a much smaller one. */
const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

/** One JSON log line per entry; `level` is INFO or ERROR. */
export type GatewayLog = (entry: Record<string, unknown>) => void;

export type GatewayOptions = {
  log?: GatewayLog;
  /** The serverless.yml whose HTTP routes to serve (tests use a fixture); the project's by default. */
  routesFile?: string;
};

const defaultLog: GatewayLog = (entry) => {
  const line = JSON.stringify({ time: new Date().toISOString(), ...entry });
  if (entry.level === 'ERROR') console.error(line);
  else console.log(line);
};

type BodyOutcome = { body: Buffer } | { failed: 'too-large' | 'aborted' };

/** The whole body; stops keeping it past the limit, and reports a client that went away before the end. */
function readBody(req: IncomingMessage): Promise<BodyOutcome> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= GATEWAY_MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.resume();
      resolve({ failed: 'too-large' });
    };
    req.on('data', onData);
    req.once('end', () => resolve({ body: Buffer.concat(chunks) }));
    // 'error' is "aborted" (ECONNRESET) when the socket closes mid-body; 'close' without 'end' covers the rest.
    req.once('error', () => resolve({ failed: 'aborted' }));
    req.once('close', () => {
      if (!req.complete) resolve({ failed: 'aborted' });
    });
  });
}

/** The parsed target, or undefined when its path has malformed percent-encoding (`%`, `%FF`, `%C0%AF`...). */
function parseTarget(target: string): URL | undefined {
  try {
    const url = new URL(target, 'http://localhost');
    decodeURIComponent(url.pathname);
    return url;
  } catch {
    return undefined;
  }
}

const textTypes = /^(application\/(json|x-www-form-urlencoded|xml)|text\/)/i;

/** Builds the API Gateway HTTP API (payload 2.0) event Lambda would receive. */
export function toEvent(req: IncomingMessage, url: URL, route: Route, pathParameters: Record<string, string>, body: Buffer): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const isText = body.length === 0 || textTypes.test(headers['content-type'] ?? 'application/json');
  const now = new Date();
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    cookies: headers.cookie?.split(';').map((c) => c.trim()),
    headers,
    queryStringParameters: Object.keys(query).length > 0 ? query : undefined,
    pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: route.routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body.length === 0 ? undefined : isText ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: !isText,
  };
}

function writeResult(res: ServerResponse, result: unknown): void {
  // HTTP API payload 2.0: a result without statusCode is JSON with status 200.
  if (!result || typeof result !== 'object' || !('statusCode' in result)) {
    const body = Buffer.from(JSON.stringify(result ?? null), 'utf8');
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
    res.end(body);
    return;
  }
  const { statusCode, headers = {}, body = '', isBase64Encoded, cookies } = result as APIGatewayProxyStructuredResultV2;
  const payload = Buffer.from(body, isBase64Encoded ? 'base64' : 'utf8');
  // API Gateway sends a buffered response with its length, never chunked.
  const out: Record<string, string | string[] | number> = { ...(headers as Record<string, string>), 'content-length': payload.length };
  if (cookies?.length) out['set-cookie'] = cookies;
  res.writeHead(statusCode ?? 200, out);
  res.end(payload);
}

type Context = { routes: Route[]; log: GatewayLog; answered: WeakSet<object> };

function refuseTooLarge(ctx: Context, req: IncomingMessage): void {
  ctx.answered.add(req.socket);
  answerAndClose(req.socket, 413, 'PAYLOAD_TOO_LARGE', `request body is over ${GATEWAY_MAX_BODY_BYTES} bytes`);
}

function findRoute(routes: Route[], method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
  for (const route of routes) {
    const params = route.match(method, path);
    if (params) return { route, params };
  }
  return undefined;
}

/** Calls the function; only its own failure (a throw, or a result API Gateway could not send) is a 500. */
async function invoke(ctx: Context, route: Route, event: APIGatewayProxyEventV2, res: ServerResponse): Promise<void> {
  let result: unknown;
  try {
    result = await loadHandler(route.handler)(event, lambdaContext(route.functionName, route.timeoutSeconds));
  } catch (error) {
    // What API Gateway answers when the function itself crashes.
    ctx.log({ level: 'ERROR', message: 'function invocation failed', function: route.functionName, error: String(error) });
    sendError(res, 500, 'INTERNAL_ERROR', 'internal error');
    return;
  }
  try {
    writeResult(res, result);
  } catch (error) {
    // A malformed proxy result (bad status or header) is the function's fault too: API Gateway answers 500.
    ctx.log({ level: 'ERROR', message: 'function returned a malformed response', function: route.functionName, error: String(error) });
    if (!res.headersSent) sendError(res, 500, 'INTERNAL_ERROR', 'internal error');
    else res.destroy();
  }
}

async function serve(ctx: Context, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const url = parseTarget(req.url ?? '/');
  // Refused before any authentication or routing, as API Gateway refuses a URL it cannot decode.
  if (!url) return sendError(res, 400, 'INVALID_PATH', 'the request path has malformed percent-encoding');
  if (Number(req.headers['content-length']) > GATEWAY_MAX_BODY_BYTES) return refuseTooLarge(ctx, req);
  const outcome = await readBody(req);
  if ('failed' in outcome) {
    if (outcome.failed === 'too-large') return refuseTooLarge(ctx, req);
    // The client went away (or sent a body Node's parser refused, already answered): nothing to invoke.
    if (!ctx.answered.has(req.socket)) ctx.log({ level: 'INFO', message: 'client disconnected mid-request; function not invoked', method, path: url.pathname });
    return;
  }
  // The API document and its page: the local stack's own, not routes of serverless.yml.
  if (serveApiDocument(method, url.pathname, res)) return;
  // The operators' console (console/dist) under /console/, as CloudFront serves it beside the API.
  if (serveConsoleFiles(method, url.pathname, res)) return;
  const found = findRoute(ctx.routes, method, url.pathname);
  if (!found) return sendError(res, 404, 'NOT_FOUND', `no route for ${method} ${url.pathname}`);
  await invoke(ctx, found.route, toEvent(req, url, found.route, found.params, outcome.body), res);
}

/** Requests Node's parser refused: answered with the contract's JSON when the socket can still take it. */
function onClientError(ctx: Context, error: NodeJS.ErrnoException, socket: Duplex): void {
  if (ctx.answered.has(socket)) return;
  // Node's own default checks the same private field: never write over a response that has started.
  const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
  const disconnected = error.code === 'ECONNRESET' || error.code === 'HPE_INVALID_EOF_STATE';
  if (disconnected || !socket.writable || inFlight?.headersSent) {
    // A request in flight logs its own disconnect when its body read ends.
    if (!inFlight) ctx.log({ level: 'INFO', message: 'client disconnected before sending a whole request', reason: error.code });
    socket.destroy();
    return;
  }
  const answer = parseFailureAnswer(error);
  ctx.answered.add(socket);
  ctx.log({ level: 'INFO', message: 'malformed request refused', status: answer.status, reason: error.code });
  answerAndClose(socket, answer.status, answer.code, answer.message);
}

export type Gateway = { server: Server; url: string; close(): Promise<void> };

/** A local stand-in for API Gateway: serves serverless.yml's routes with the real handlers, in this process. */
export async function startGateway(port: number, host = '127.0.0.1', options: GatewayOptions = {}): Promise<Gateway> {
  const routes = loadRoutes(options.routesFile);
  for (const route of routes) loadHandler(route.handler);
  const ctx: Context = { routes, log: options.log ?? defaultLog, answered: new WeakSet() };
  const server = createServer((req, res) => {
    serve(ctx, req, res).catch((error: unknown) => {
      // A bug here is the stand-in's, not the function's: not the 500 a developer would take for a crash of theirs.
      ctx.log({ level: 'ERROR', message: 'local gateway fault', error: error instanceof Error ? error.stack : String(error) });
      if (!res.headersSent) sendError(res, 502, 'GATEWAY_FAULT', 'the local API Gateway stand-in failed; see its log');
      else res.destroy();
    });
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => onClientError(ctx, error, socket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const actualPort = address && typeof address === 'object' ? address.port : port;
  return {
    server,
    url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${actualPort}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
