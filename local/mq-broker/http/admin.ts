import type { IncomingMessage, ServerResponse } from 'node:http';
import { MqError } from '../errors';
import { listDeadLetters, topicStats } from '../stats';
import type { Store } from '../store/store';
import type { Topology, TopicKind } from '../topology';
import { readBody } from './read-body';
import { sendJson } from './reply';

export type AdminDeps = { store: Store; topology: Topology; clock: () => number };

type AdminRequest = { method: string; path: string; query: URLSearchParams; body: () => Promise<Record<string, unknown>> };
type AdminReply = { status: number; body: unknown };

const optional = (query: URLSearchParams, name: string): string | undefined => query.get(name) ?? undefined;
const fail = (status: number, code: string, message: string): AdminReply => ({ status, body: { code, message } });

class AdminInputError extends Error {}

function text(body: Record<string, unknown>, name: string, fallback?: string): string {
  const value = body[name] ?? fallback;
  if (typeof value !== 'string') throw new AdminInputError(`"${name}" must be a string`);
  return value;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readBody(req);
  let value: unknown;
  try {
    value = JSON.parse(raw?.toString('utf8') ?? '');
  } catch {
    throw new AdminInputError('the body must be a JSON object');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new AdminInputError('the body must be a JSON object');
  return value as Record<string, unknown>;
}

/** Declarations answer 201 when they create something, 200 when it existed already (declaring is idempotent). */
async function declare(deps: AdminDeps, request: AdminRequest, what: 'topic' | 'group'): Promise<AdminReply> {
  const body = await request.body();
  const instanceId = text(body, 'instanceId');
  if (what === 'group') {
    const group = text(body, 'group');
    return { status: deps.topology.declareGroup(instanceId, group) ? 201 : 200, body: { instanceId, group } };
  }
  const topic = text(body, 'topic');
  const kind = text(body, 'kind', 'normal') as TopicKind;
  return { status: deps.topology.declareTopic(instanceId, topic, kind) ? 201 : 200, body: { instanceId, topic, kind } };
}

async function route(deps: AdminDeps, request: AdminRequest): Promise<AdminReply> {
  const key = `${request.method} ${request.path}`;
  switch (key) {
    case 'GET /__admin/health':
      return { status: 200, body: { status: 'ok' } };
    case 'GET /__admin/topics':
      return { status: 200, body: { topics: topicStats(deps.store, deps.clock()) } };
    case 'POST /__admin/topics':
      return declare(deps, request, 'topic');
    case 'POST /__admin/groups':
      return declare(deps, request, 'group');
    case 'GET /__admin/topology':
      return { status: 200, body: deps.topology.view() };
    case 'GET /__admin/dead-letters': {
      const filter = { topic: optional(request.query, 'topic'), group: optional(request.query, 'consumer'), instanceId: optional(request.query, 'ns') };
      return { status: 200, body: { deadLetters: listDeadLetters(deps.store, filter) } };
    }
    default:
      return fail(404, 'NOT_FOUND', `no admin route ${key}`);
  }
}

/**
 * Unsigned JSON routes for people and tests; the real service has none (its console does this). GET `health`,
 * `topics` (queue depths), `topology` (what is declared), `dead-letters?topic=&consumer=&ns=`; POST `topics`
 * `{instanceId, topic, kind?}` and `groups` `{instanceId, group}` declare one (its instance too).
 */
export function handleAdmin(deps: AdminDeps, req: IncomingMessage, path: string, query: URLSearchParams, res: ServerResponse): void {
  const method = req.method ?? 'GET';
  if (method !== 'POST') req.resume();
  void route(deps, { method, path, query, body: () => readJson(req) })
    .catch((error: unknown) => {
      if (error instanceof AdminInputError) return fail(400, 'INVALID_REQUEST', error.message);
      if (error instanceof MqError) return fail(400, error.code, error.message);
      throw error;
    })
    .catch(() => fail(500, 'INTERNAL_ERROR', 'the admin route failed'))
    .then((reply) => {
      if (!res.destroyed) sendJson(res, reply.status, reply.body);
    });
}
