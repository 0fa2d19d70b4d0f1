import { isDeepStrictEqual } from 'node:util';
import * as z from '../../shared/schemas/zod';
import { errorsByStatus } from './openapi';
import { errorBody } from './responses';
import { apiRoutes } from './routes';

/**
 * What is wrong with a real answer by the document: an undocumented status, a body that does not match its schema
 * (a field missing, of another type, or one the document does not name), an error code not listed for the route and
 * status. Empty when the answer is as documented. Tests run every answer of the typed client through it.
 */
export function answerProblems(method: string, path: string, status: number, body: unknown): string[] {
  const route = apiRoutes.find((candidate) => candidate.method === method.toUpperCase() && candidate.path === path);
  if (!route) return [`${method} ${path} is not in the document`];
  const where = `${route.method} ${route.path} ${status}`;
  const success = route.success[status as keyof typeof route.success];
  if (success) {
    if (!success.schema) return body === undefined ? [] : [`${where}: the document says no body, got ${JSON.stringify(body)}`];
    const parsed = z.safeParse(success.schema, body);
    if (!parsed.success) return parsed.error.issues.map((issue) => `${where}: ${issue.path.join('.') || 'body'}: ${issue.message}`);
    // The schema's output drops what it does not name: anything dropped is a field the document does not describe.
    return isDeepStrictEqual(parsed.data, body) ? [] : [`${where}: the body has fields the document does not describe: ${JSON.stringify(body)}`];
  }
  const codes = errorsByStatus(route).get(status);
  if (!codes) return [`${where}: the document lists no ${status} answer`];
  const error = z.safeParse(errorBody, body);
  if (!error.success) return [`${where}: not an error body {code, message}: ${JSON.stringify(body)}`];
  const allowed: readonly string[] = route.auth === 'wechatPaySignature' ? ['FAIL'] : codes;
  return allowed.includes(error.data.code) ? [] : [`${where}: code ${error.data.code} is not documented (documented: ${allowed.join(', ')})`];
}
