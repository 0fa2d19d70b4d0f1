import { StoreNotFoundError } from '../domain/errors';
import { DependencyUnavailableError } from '../ports/errors';
import * as z from '../schemas/zod';
import { invokeHttp, sampleEvent } from '../testing/lambda';
import { lambdaContext } from '../testing/lambda-context';
import { ANSWER_MARGIN_MS, httpHandler } from './http-handler';
import { HttpError } from './http-errors';

const event = () => sampleEvent('get-store/ok.json');
const refuseEveryone = async (): Promise<never> => {
  throw new HttpError(401, 'UNAUTHORIZED', 'no credentials');
};

describe('httpHandler', () => {
  it('answers an unexpected error with a bare 500 that names the request id and leaks nothing', async () => {
    const handler = httpHandler({}, async () => {
      throw new Error('connection string postgres://admin:hunter2@db');
    });
    const { statusCode, body } = await invokeHttp(handler, event());
    expect(statusCode).toBe(500);
    expect(body).toEqual({ code: 'INTERNAL_ERROR', message: 'internal error; quote request id sample-getstoresstoreid to support' });
  });

  it('maps a domain error to its status and code', async () => {
    const handler = httpHandler({}, async () => {
      throw new StoreNotFoundError('s9');
    });
    expect(await invokeHttp(handler, event())).toEqual({ statusCode: 404, body: { code: 'STORE_NOT_FOUND', message: 'store s9 does not exist' } });
  });

  it('answers a dependency outage with 503, a stable code and Retry-After, naming no internals', async () => {
    const handler = httpHandler({}, async () => {
      throw new DependencyUnavailableError('dynamodb', 'TimeoutError: socket hang up at 10.0.3.7:443');
    });
    const result = await handler(event(), {} as never);
    expect(result.statusCode).toBe(503);
    expect(result.headers?.['retry-after']).toBe('2');
    expect(JSON.parse(result.body as string)).toEqual({ code: 'DEPENDENCY_UNAVAILABLE', message: 'a service this request needs is unavailable; try again shortly' });
  });

  it('answers 503 with Retry-After before the function would time out when the flow is still waiting', async () => {
    let finished = false;
    const handler = httpHandler({}, async () => {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      finished = true;
      return { statusCode: 200, body: { late: true } };
    });
    const started = Date.now();
    const result = await handler(event(), lambdaContext('slow', 1));
    const tookMs = Date.now() - started;
    expect(finished).toBe(false);
    expect(result.statusCode).toBe(503);
    expect(result.headers?.['retry-after']).toBe('2');
    expect(JSON.parse(result.body as string)).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    expect(tookMs).toBeGreaterThanOrEqual(1_000 - ANSWER_MARGIN_MS - 50);
    expect(tookMs).toBeLessThan(1_000);
  });

  it('validates before running the flow, naming every bad field', async () => {
    const run = jest.fn();
    const handler = httpHandler({ body: z.object({ a: z.number(), b: z.object({ c: z.string() }) }) }, run);
    const { statusCode, body } = await invokeHttp(handler, { ...event(), body: JSON.stringify({ a: 'x', b: {} }) });
    expect(statusCode).toBe(400);
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.message).toMatch(/^a: Invalid input: expected number, received string; b\.c: /);
    expect(run).not.toHaveBeenCalled();
  });

  it('authenticates before it parses or validates anything, so a caller without credentials learns nothing about the schema', async () => {
    const run = jest.fn();
    const handler = httpHandler({ auth: refuseEveryone, body: z.object({ a: z.number() }), query: z.object({ s: z.enum(['X']) }), path: z.object({ storeId: z.literal('nope') }) }, run);
    for (const body of ['{not json', JSON.stringify({ a: 'x' })]) {
      const result = await invokeHttp(handler, { ...event(), body, queryStringParameters: { s: 'bad' } });
      expect(result).toEqual({ statusCode: 401, body: { code: 'UNAUTHORIZED', message: 'no credentials' } });
    }
    expect(run).not.toHaveBeenCalled();
  });

  it('decodes a base64 body as API Gateway sends binary-typed ones', async () => {
    const handler = httpHandler({ body: z.object({ code: z.string() }) }, async ({ body }) => ({ statusCode: 200, body }));
    const encoded = Buffer.from(JSON.stringify({ code: '码' })).toString('base64');
    expect(await invokeHttp(handler, { ...event(), body: encoded, isBase64Encoded: true })).toEqual({ statusCode: 200, body: { code: '码' } });
  });
});
