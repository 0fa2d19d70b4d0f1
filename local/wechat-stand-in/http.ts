import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type * as z from 'zod';

export type StandInRequest = {
  method: string;
  /** Path and query exactly as received: WeChat Pay signatures cover this string. */
  rawUrl: string;
  url: URL;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** Named groups of the route's path pattern. */
  params: Record<string, string>;
};

export type StandInResponse = { status: number; headers?: Record<string, string>; body?: string };

/** No answer at all: the caller waits until its own timeout, as when WeChat applied a call but the answer was lost. */
export type Silence = { silence: true };
export const SILENCE: Silence = { silence: true };

export type Route = {
  method: 'GET' | 'POST';
  /** Matched against the path without the query; named groups become `params`. */
  path: RegExp;
  handle(request: StandInRequest): StandInResponse | Silence | Promise<StandInResponse | Silence>;
};

const MAX_BODY_BYTES = 1024 * 1024;
/** A silent connection is cut after this long, as a proxy would, so that a caller without a timeout is not held forever. */
const SILENCE_CUT_MS = 60_000;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): StandInResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

/** Parses a JSON object body; `undefined` for anything else. */
export function jsonBody(request: StandInRequest): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(request.rawBody.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A control route's JSON body read with its schema; a body that does not fit answers 400 VALIDATION_FAILED. */
export function controlBody<S extends z.ZodType>(schema: S, request: StandInRequest): { ok: true; value: z.output<S> } | { ok: false; response: StandInResponse } {
  const parsed = schema.safeParse(request.rawBody.length === 0 ? {} : (jsonBody(request) ?? null));
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, response: json(400, { code: 'VALIDATION_FAILED', message: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}` }) };
}

function readBody(message: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    message.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    message.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    message.on('error', reject);
  });
}

async function answer(routes: readonly Route[], message: IncomingMessage): Promise<StandInResponse | Silence> {
  const rawUrl = message.url ?? '/';
  const url = new URL(rawUrl, 'http://stand-in');
  const rawBody = await readBody(message);
  if (rawBody === undefined) return json(413, { code: 'PAYLOAD_TOO_LARGE', message: 'body over 1 MB' });
  const candidates = routes.filter((route) => route.path.test(url.pathname));
  const route = candidates.find((candidate) => candidate.method === message.method);
  if (!route) return candidates.length > 0 ? json(405, { code: 'METHOD_NOT_ALLOWED', message: `${message.method} not allowed` }) : json(404, { code: 'NOT_FOUND', message: 'no such route' });
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(url.pathname.match(route.path)?.groups ?? {})) {
    try {
      params[name] = decodeURIComponent(value);
    } catch {
      return json(400, { code: 'PARAM_ERROR', message: `malformed ${name} in path` });
    }
  }
  return route.handle({ method: message.method ?? 'GET', rawUrl, url, headers: message.headers, rawBody, params });
}

function write(response: ServerResponse, result: StandInResponse | Silence): void {
  if ('silence' in result) {
    const cut = setTimeout(() => response.socket?.destroy(), SILENCE_CUT_MS).unref();
    response.on('close', () => clearTimeout(cut));
    return;
  }
  response.writeHead(result.status, { 'request-id': randomUUID(), ...result.headers });
  response.end(result.body);
}

/** A node:http server dispatching to `routes`; a handler that throws answers 500 and is reported to `onError`. */
export function createRoutedServer(routes: readonly Route[], onError: (error: unknown) => void): Server {
  return createServer((message, response) => {
    answer(routes, message)
      .then((result) => write(response, result))
      .catch((error: unknown) => {
        onError(error);
        write(response, json(500, { code: 'SYSTEM_ERROR', message: 'stand-in fault' }));
      });
  });
}
