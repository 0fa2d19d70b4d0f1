import { join } from 'node:path';
import { startGateway, type Gateway } from '../../local/gateway/server';
import { loadRoutes } from '../../local/gateway/routes';
import { invocations } from './fixtures/handlers';
import { rawRequest, type RawAnswer } from './raw-http';

const FIXTURE_ROUTES = join(__dirname, 'fixtures', 'serverless.yml');
let real: Gateway;
let fixture: Gateway;
const logs: Array<Record<string, unknown>> = [];
beforeAll(async () => {
  real = await startGateway(0, '127.0.0.1', { log: (entry) => logs.push(entry) });
  fixture = await startGateway(0, '127.0.0.1', { routesFile: FIXTURE_ROUTES, log: (entry) => logs.push(entry) });
});
afterAll(async () => {
  await real.close();
  await fixture.close();
});

/** Every answer the gateway gives itself: the contract's `{code, message}` as JSON, never an empty body. */
function expectError(answer: RawAnswer | null, status: number, code: string): void {
  expect(answer?.status).toBe(status);
  expect(answer?.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(JSON.parse(answer?.body ?? '')).toEqual({ code, message: expect.any(String) });
}

const MALFORMED = ['%', '%FF', '%C0%AF', '%ED%A0%80', '%E0%A4%A', '%zz'];

describe('the local gateway refuses a malformed path before routing or authentication', () => {
  const withParameters = loadRoutes().filter((route) => route.path.includes('{'));

  it('serves some routes with path parameters (else the next test proves nothing)', () => {
    expect(withParameters.map((route) => route.routeKey)).toEqual(expect.arrayContaining(['GET /stores/{storeId}', 'PUT /admin/stores/{storeId}']));
  });

  it.each(MALFORMED)('answers 400 INVALID_PATH for "%s" in a path parameter of every route', async (bad) => {
    for (const route of withParameters) {
      const path = route.path.replace(/\{[^}]+\}/g, `x${bad}`);
      const answer = await rawRequest(real.url, `${route.method} ${path} HTTP/1.1\r\nhost: localhost\r\ncontent-length: 0\r\n\r\n`);
      expectError(answer, 400, 'INVALID_PATH');
    }
  });

  it('answers 400 INVALID_PATH on an unknown route too, and passes well-formed escapes decoded to the function', async () => {
    expectError(await rawRequest(real.url, 'GET /no/such/%FF HTTP/1.1\r\nhost: localhost\r\n\r\n'), 400, 'INVALID_PATH');
    const answer = await rawRequest(fixture.url, 'POST /echo/%E4%B8%AD%2F1 HTTP/1.1\r\nhost: localhost\r\ncontent-length: 0\r\n\r\n');
    expect(answer?.status).toBe(200);
    expect(JSON.parse(answer?.body ?? '')).toEqual({ id: '中/1', bytes: 0 });
  });
});

describe('requests Node\'s HTTP parser refuses get the contract\'s JSON error, then the connection closes', () => {
  const cases: Array<[string, number, string, string]> = [
    ['headers over 16 KiB', 431, 'HEADERS_TOO_LARGE', `GET /stores HTTP/1.1\r\nhost: localhost\r\nx-big: ${'a'.repeat(17 * 1024)}\r\n\r\n`],
    ['a bad chunk size', 400, 'BAD_REQUEST', 'POST /echo/x HTTP/1.1\r\nhost: localhost\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n'],
    ['both Content-Length and Transfer-Encoding', 400, 'BAD_REQUEST', 'POST /echo/x HTTP/1.1\r\nhost: localhost\r\ncontent-length: 5\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n'],
    ['a NUL in a header', 400, 'BAD_REQUEST', 'GET /stores HTTP/1.1\r\nhost: localhost\r\nx-a: a\0b\r\n\r\n'],
    ['an unknown method', 400, 'BAD_REQUEST', 'FOO /stores HTTP/1.1\r\nhost: localhost\r\n\r\n'],
    ['a space in the path', 400, 'BAD_REQUEST', 'GET /stores /x HTTP/1.1\r\nhost: localhost\r\n\r\n'],
  ];

  it.each(cases)('%s: %i %s', async (_name, status, code, request) => {
    const before = invocations.length;
    const answer = await rawRequest(fixture.url, request);
    expectError(answer, status, code);
    expect(answer?.headers.connection).toBe('close');
    expect(invocations.length).toBe(before);
    expect(logs).toContainEqual(expect.objectContaining({ level: 'INFO', message: 'malformed request refused', status }));
  });
});
