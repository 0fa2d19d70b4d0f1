import * as z from 'zod';
import { StoreNotFoundError } from '../domain/errors';
import { invokeHttp, sampleEvent } from '../testing/lambda';
import { httpHandler } from './http-handler';

const event = () => sampleEvent('get-store/ok.json');

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

  it('validates before running the flow, naming every bad field', async () => {
    const run = jest.fn();
    const handler = httpHandler({ body: z.object({ a: z.number(), b: z.object({ c: z.string() }) }) }, run);
    const { statusCode, body } = await invokeHttp(handler, { ...event(), body: JSON.stringify({ a: 'x', b: {} }) });
    expect(statusCode).toBe(400);
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.message).toMatch(/^a: .*; b\.c: /);
    expect(run).not.toHaveBeenCalled();
  });

  it('decodes a base64 body as API Gateway sends binary-typed ones', async () => {
    const handler = httpHandler({ body: z.object({ code: z.string() }) }, async ({ body }) => ({ statusCode: 200, body }));
    const encoded = Buffer.from(JSON.stringify({ code: '码' })).toString('base64');
    expect(await invokeHttp(handler, { ...event(), body: encoded, isBase64Encoded: true })).toEqual({ statusCode: 200, body: { code: '码' } });
  });
});
