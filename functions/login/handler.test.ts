import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { invokeHttp, sampleEvent } from '../../shared/testing/lambda';
import { newLoginCode } from '../../test/support/api';
import { handler } from './handler';

describe('login handler (events/login, WeChat stand-in, DynamoDB Local)', () => {
  it('logs in with the sample event once it carries a fresh code', async () => {
    const event = sampleEvent('login/ok.json');
    const { code } = await newLoginCode();
    const { statusCode, body } = await invokeHttp(handler, { ...event, body: JSON.stringify({ code }) } as APIGatewayProxyEventV2);
    expect(statusCode).toBe(200);
    expect(body.user.isNew).toBe(true);
  });

  it('answers 401 WX_CODE_INVALID for events/login/invalid-code.json', async () => {
    const { statusCode, body } = await invokeHttp(handler, sampleEvent('login/invalid-code.json'));
    expect(statusCode).toBe(401);
    expect(body.code).toBe('WX_CODE_INVALID');
  });

  it('answers 400 naming the field for events/login/bad-body.json', async () => {
    const { statusCode, body } = await invokeHttp(handler, sampleEvent('login/bad-body.json'));
    expect(statusCode).toBe(400);
    expect(body.message).toMatch(/^code: /);
  });
});
