import type { Socket } from 'node:net';
import { join } from 'node:path';
import { startGateway, type Gateway } from '../../local/gateway/server';
import { invocations } from './fixtures/handlers';
import { rawExchange, rawRequest, upload } from './raw-http';

const LIMIT = 10 * 1024 * 1024;
let gateway: Gateway;
const logs: Array<Record<string, unknown>> = [];
beforeAll(async () => {
  gateway = await startGateway(0, '127.0.0.1', { routesFile: join(__dirname, 'fixtures', 'serverless.yml'), log: (entry) => logs.push(entry) });
});
afterAll(() => gateway.close());

const HEAD = 'POST /echo/big HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n';
const post = (size: number) => (socket: Socket) => upload(socket, `${HEAD}content-length: ${size}\r\n\r\n`, size);
const postChunked = (size: number) => (socket: Socket) => upload(socket, `${HEAD}transfer-encoding: chunked\r\n\r\n`, size, true);

const waitFor = async (what: string, condition: () => boolean) => {
  for (let i = 0; i < 250 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
};

describe('request bodies over API Gateway\'s 10 MiB', () => {
  it('accepts exactly 10 MiB', async () => {
    const answer = await rawExchange(gateway.url, post(LIMIT));
    expect(answer?.status).toBe(200);
    expect(JSON.parse(answer?.body ?? '')).toEqual({ id: 'big', bytes: LIMIT });
  });

  it('accepts exactly 10 MiB in chunks', async () => {
    const answer = await rawExchange(gateway.url, postChunked(LIMIT));
    expect(JSON.parse(answer?.body ?? '')).toEqual({ id: 'big', bytes: LIMIT });
  });

  it.each([
    ['10 MiB + 1 byte (Content-Length)', post(LIMIT + 1)],
    ['10 MiB + 1 byte in chunks (read up to the limit)', postChunked(LIMIT + 1)],
    ['64 MiB in chunks, still uploading when the answer comes', postChunked(64 * 1024 * 1024)],
  ])('answers %s with a readable 413 PAYLOAD_TOO_LARGE, connection: close, and never calls the function', async (_name, send) => {
    const before = invocations.length;
    const answer = await rawExchange(gateway.url, send);
    expect(answer?.status).toBe(413);
    expect(answer?.headers.connection).toBe('close');
    expect(JSON.parse(answer?.body ?? '')).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: `request body is over ${LIMIT} bytes` });
    expect(invocations.length).toBe(before);
  });
});

describe('a client that disconnects mid-request', () => {
  it('is logged at INFO as a client disconnect, the function is not called, and nothing is logged as an error', async () => {
    const before = invocations.length;
    const answer = await rawExchange(gateway.url, (socket) => {
      socket.write('POST /echo/gone HTTP/1.1\r\nhost: localhost\r\ncontent-length: 100\r\n\r\n0123456789');
      setTimeout(() => socket.destroy(), 50);
    });
    expect(answer).toBeNull();
    await waitFor('the disconnect log line', () => logs.some((entry) => entry.message === 'client disconnected mid-request; function not invoked'));
    expect(logs).toContainEqual({ level: 'INFO', message: 'client disconnected mid-request; function not invoked', method: 'POST', path: '/echo/gone' });
    expect(logs.filter((entry) => entry.level === 'ERROR')).toEqual([]);
    expect(invocations.length).toBe(before);
  });
});

describe('what only a function can cause: 500 INTERNAL_ERROR, with the JSON body', () => {
  it('answers 500 INTERNAL_ERROR when the function throws, and logs it as an invocation failure', async () => {
    const answer = await rawRequest(gateway.url, 'GET /crash HTTP/1.1\r\nhost: localhost\r\n\r\n');
    expect(answer?.status).toBe(500);
    expect(JSON.parse(answer?.body ?? '')).toEqual({ code: 'INTERNAL_ERROR', message: 'internal error' });
    expect(logs).toContainEqual(expect.objectContaining({ level: 'ERROR', message: 'function invocation failed', function: 'crash', error: 'Error: the function crashed' }));
  });

  it('answers 500 INTERNAL_ERROR, not an empty body, when the function returns a result that cannot be sent', async () => {
    const answer = await rawRequest(gateway.url, 'GET /malformed HTTP/1.1\r\nhost: localhost\r\n\r\n');
    expect(answer?.status).toBe(500);
    expect(JSON.parse(answer?.body ?? '')).toEqual({ code: 'INTERNAL_ERROR', message: 'internal error' });
    expect(logs).toContainEqual(expect.objectContaining({ level: 'ERROR', message: 'function returned a malformed response', function: 'malformed' }));
  });

  it('answers an unknown route with 404 NOT_FOUND and its JSON body', async () => {
    const answer = await rawRequest(gateway.url, 'DELETE /nowhere HTTP/1.1\r\nhost: localhost\r\n\r\n');
    expect(answer?.status).toBe(404);
    expect(JSON.parse(answer?.body ?? '')).toEqual({ code: 'NOT_FOUND', message: 'no route for DELETE /nowhere' });
  });
});
