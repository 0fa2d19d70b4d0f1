import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { lambdaContext } from './lambda-context';

const root = join(__dirname, '..', '..');

/** A sample event from events/, the same file `serverless invoke local -p` uses. */
export function sampleEvent<T = APIGatewayProxyEventV2>(path: string): T {
  return JSON.parse(readFileSync(join(root, 'events', path), 'utf8')) as T;
}

/** A Lambda context with `remainingMs` left, as the runtime gives (the local gateway's own). */
export function fakeContext(functionName = 'test', remainingMs = 10_000): Context {
  return lambdaContext(functionName, remainingMs / 1000);
}

type HttpLambda = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** Invokes an HTTP handler and returns the status and the parsed JSON body. */
export async function invokeHttp(handler: HttpLambda, event: APIGatewayProxyEventV2): Promise<{ statusCode: number; body: any }> {
  const result = await handler(event, fakeContext());
  return { statusCode: result.statusCode ?? 200, body: result.body ? JSON.parse(result.body) : undefined };
}
