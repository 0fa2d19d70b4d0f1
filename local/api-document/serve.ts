import type { ServerResponse } from 'node:http';
import { buildOpenApiDocument, documentText } from './openapi';
import { renderPage } from './page';

let rendered: { json: Buffer; page: Buffer } | undefined;

/** Built from the code the stack runs, once per process: the same document `npm run openapi` commits. */
function documents(): { json: Buffer; page: Buffer } {
  if (!rendered) {
    const document = buildOpenApiDocument();
    rendered = { json: Buffer.from(documentText(document)), page: Buffer.from(renderPage(document)) };
  }
  return rendered;
}

/**
 * The local stack's `GET /openapi.json` and `GET /docs` (the document and its readable page). Not Lambda routes:
 * deployed, the document is docs/openapi.json. True when it answered.
 */
export function serveApiDocument(method: string, path: string, res: ServerResponse): boolean {
  if (method !== 'GET' || (path !== '/openapi.json' && path !== '/docs')) return false;
  const { json, page } = documents();
  const [body, type] = path === '/docs' ? [page, 'text/html; charset=utf-8'] : [json, 'application/json; charset=utf-8'];
  res.writeHead(200, { 'content-type': type, 'content-length': body.length, 'cache-control': 'no-cache' });
  res.end(body);
  return true;
}
