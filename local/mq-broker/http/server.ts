import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { LogSink } from '../core';
import { MqError, invalidArgument, invalidRequestUrl } from '../errors';
import { newRequestId } from '../ids';
import { SignatureMismatch, authenticate } from '../signature';
import { handleAdmin } from './admin';
import { readBody } from './read-body';
import { errorReply, sendReply, type Reply } from './reply';
import { handleTopicRequest, type Broker } from './topic-routes';

export type ServerDeps = Broker & { accessKeys: Record<string, string>; clock: () => number; log: LogSink };

const TOPIC_PATH = /^\/topics\/([^/]+)\/messages$/;

function splitTarget(target: string): { path: string; rawQuery: string } {
  const mark = target.indexOf('?');
  return mark < 0 ? { path: target, rawQuery: '' } : { path: target.slice(0, mark), rawQuery: target.slice(mark + 1) };
}

async function answer(deps: ServerDeps, req: IncomingMessage, res: ServerResponse, target: string): Promise<Reply> {
  const body = await readBody(req);
  if (body === undefined) throw invalidArgument('The request body is too large.');
  const method = req.method ?? 'GET';
  // Signed over the raw target: an SDK endpoint ending in "/" sends `//topics/...` but signs `/topics/...`, and the
  // strict real service refuses it (protocol note 1.1, 11.17).
  authenticate({ method, target, headers: req.headers, body }, deps.accessKeys, deps.clock());
  const { path, rawQuery } = splitTarget(target);
  const topic = TOPIC_PATH.exec(path)?.[1];
  if (topic === undefined) throw invalidRequestUrl(path);
  // URLSearchParams decodes percent-escapes and `+`, as Node (%7C%7C), Java and Go (`+` for a space) encode tags.
  const query = new URLSearchParams(rawQuery);
  return handleTopicRequest(deps, { method, topic, query, body, res });
}

function failureReply(deps: ServerDeps, error: unknown, req: IncomingMessage, requestId: string): Reply {
  const hostId = `http://${req.headers.host ?? '127.0.0.1'}`;
  if (error instanceof SignatureMismatch) {
    // Tells a developer what the broker signed; the secret itself is never logged.
    deps.log({ level: 'warn', event: 'mq.signature-mismatch', requestId, accessKeyId: error.accessKeyId, stringToSign: error.stringToSign });
  }
  if (error instanceof MqError) return errorReply(error.status, error.code, error.message, requestId, hostId);
  deps.log({ level: 'error', event: 'mq.internal-error', requestId, method: req.method, target: req.url, error: error instanceof Error ? error.stack : String(error) });
  return errorReply(500, 'InternalError', 'The broker failed to process the request.', requestId, hostId);
}

function onRequest(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): void {
  const target = req.url ?? '/';
  if (target.startsWith('/__admin/')) {
    const { path, rawQuery } = splitTarget(target);
    handleAdmin({ store: deps.core.store, topology: deps.topology, clock: deps.clock }, req, path, new URLSearchParams(rawQuery), res);
    return;
  }
  const requestId = newRequestId();
  void answer(deps, req, res, target)
    .catch((error: unknown) => failureReply(deps, error, req, requestId))
    .then((reply) => {
      if (!res.destroyed) sendReply(res, reply, requestId);
    });
}

/** The HTTP server; keep-alive sockets are never timed out, since the SDK's agent reuses them indefinitely. */
export function createBrokerServer(deps: ServerDeps): Server {
  const server = createServer((req, res) => onRequest(deps, req, res));
  // A server-side idle timeout races with the SDK reusing the socket and shows up as ECONNRESET (protocol note 11.18).
  server.keepAliveTimeout = 0;
  return server;
}
