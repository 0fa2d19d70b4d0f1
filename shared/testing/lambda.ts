import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

const root = join(__dirname, '..', '..');

/** A sample event from events/, the same file `serverless invoke local -p` uses. */
export function sampleEvent<T = APIGatewayProxyEventV2>(path: string): T {
  return JSON.parse(readFileSync(join(root, 'events', path), 'utf8')) as T;
}

/** A Lambda context with `remainingMs` left, as the runtime gives. */
export function fakeContext(functionName = 'test', remainingMs = 10_000): Context {
  const deadline = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: 'test-request',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

type HttpLambda = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** Invokes an HTTP handler and returns the status and the parsed JSON body. */
export async function invokeHttp(handler: HttpLambda, event: APIGatewayProxyEventV2): Promise<{ statusCode: number; body: any }> {
  const result = await handler(event, fakeContext());
  return { statusCode: result.statusCode ?? 200, body: result.body ? JSON.parse(result.body) : undefined };
}
