import { readFileSync } from 'node:fs';
import { DOCUMENT_FILE } from '../../local/api-document/files';
import { startApi } from '../support/api';

// The local stack serves the document and a page that reads it, with nothing fetched from elsewhere.
let api: Awaited<ReturnType<typeof startApi>>;

beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

describe('the local gateway', () => {
  it('serves the committed document at GET /openapi.json', async () => {
    const response = await fetch(`${api.gateway.url}/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.text()).toBe(readFileSync(DOCUMENT_FILE, 'utf8'));
  });

  it('serves a self-contained page of every operation at GET /docs', async () => {
    const response = await fetch(`${api.gateway.url}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await response.text();
    const document = JSON.parse(readFileSync(DOCUMENT_FILE, 'utf8')) as { paths: Record<string, Record<string, { operationId: string }>> };
    const operationIds = Object.values(document.paths).flatMap((item) => Object.values(item).map((operation) => operation.operationId));
    expect(operationIds.filter((id) => !page.includes(`id="op-${id}"`))).toEqual([]);
    expect(page).toContain('<a href="#schema-Order">Order</a>');
    // No script, stylesheet, image or font from anywhere: the page works offline and tells nobody it was opened.
    expect(page).not.toMatch(/<script|<link|src=|url\(|@import|https?:\/\/(?!localhost)/i);
  });

  it('leaves other methods on those paths to the routes (404 NOT_FOUND)', async () => {
    const answer = await api.call('POST', '/openapi.json');
    expect(answer).toEqual({ status: 404, body: { code: 'NOT_FOUND', message: 'no route for POST /openapi.json' } });
  });
});
