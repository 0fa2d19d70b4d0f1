import type { ServerResponse } from 'node:http';
import { listDeadLetters, topicStats } from '../stats';
import type { Store } from '../store/store';
import { sendJson } from './reply';

const optional = (query: URLSearchParams, name: string): string | undefined => query.get(name) ?? undefined;

/**
 * Unsigned JSON routes for people and tests; the real service has no such thing (its dead letters live in the
 * console). `GET /__admin/dead-letters?topic=&consumer=&ns=`, `GET /__admin/topics`, `GET /__admin/health`.
 */
export function handleAdmin(store: Store, now: number, method: string, path: string, query: URLSearchParams, res: ServerResponse): void {
  if (method !== 'GET') return sendJson(res, 405, { code: 'METHOD_NOT_ALLOWED', message: 'admin routes are GET only' });
  switch (path) {
    case '/__admin/health':
      return sendJson(res, 200, { status: 'ok' });
    case '/__admin/topics':
      return sendJson(res, 200, { topics: topicStats(store, now) });
    case '/__admin/dead-letters': {
      const filter = { topic: optional(query, 'topic'), group: optional(query, 'consumer'), instanceId: optional(query, 'ns') };
      return sendJson(res, 200, { deadLetters: listDeadLetters(store, filter) });
    }
    default:
      return sendJson(res, 404, { code: 'NOT_FOUND', message: `no admin route ${path}` });
  }
}
