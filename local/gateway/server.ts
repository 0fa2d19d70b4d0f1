import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { loadRoutes, type Route } from './routes';
import { lambdaContext, loadHandler } from './lambda-runtime';

/** API Gateway's own payload limit; the functions enforce a much smaller one. */
const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

function sendJson(res: ServerResponse, statusCode: number, body: unknown): void {
  res.writeHead(statusCode, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > GATEWAY_MAX_BODY_BYTES) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
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
    sendJson(res, 200, result ?? null);
    return;
  }
  const { statusCode, headers = {}, body = '', isBase64Encoded, cookies } = result as APIGatewayProxyStructuredResultV2;
  const out: Record<string, string | string[]> = { ...(headers as Record<string, string>) };
  if (cookies?.length) out['set-cookie'] = cookies;
  res.writeHead(statusCode ?? 200, out);
  res.end(isBase64Encoded ? Buffer.from(body, 'base64') : body);
}

export type Gateway = { server: Server; url: string; close(): Promise<void> };

/** A local stand-in for API Gateway: serves serverless.yml's routes with the real handlers, in this process. */
export async function startGateway(port: number, host = '127.0.0.1'): Promise<Gateway> {
  const routes = loadRoutes();
  for (const route of routes) loadHandler(route.handler);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const body = await readBody(req);
      if (body === undefined) {
        sendJson(res, 413, { code: 'PAYLOAD_TOO_LARGE', message: `request body is over ${GATEWAY_MAX_BODY_BYTES} bytes` });
        return;
      }
      const method = req.method ?? 'GET';
      let found: { route: Route; params: Record<string, string> } | undefined;
      for (const route of routes) {
        const params = route.match(method, url.pathname);
        if (params) {
          found = { route, params };
          break;
        }
      }
      if (!found) {
        sendJson(res, 404, { code: 'NOT_FOUND', message: `no route for ${method} ${url.pathname}` });
        return;
      }
      const { route, params } = found;
      const result = await loadHandler(route.handler)(toEvent(req, url, route, params, body), lambdaContext(route.functionName, route.timeoutSeconds));
      writeResult(res, result);
    } catch (error) {
      // What API Gateway answers when the function itself crashes.
      console.error(JSON.stringify({ level: 'ERROR', message: 'function invocation failed', error: String(error) }));
      if (!res.headersSent) sendJson(res, 500, { code: 'INTERNAL_ERROR', message: 'internal error' });
      else res.end();
    }
  });
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
