import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand, PutItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { isDynamoUnavailable } from './client';

// The errors are the SDK's own: a stub DynamoDB endpoint answers as DynamoDB does (status, x-amzn-ErrorType, JSON
// body) or not at all, and the real client turns that into the error the adapters' middleware classifies.
type Answer = { status: number; type: string; extra?: Record<string, unknown> } | 'hang';

let answer: Answer = 'hang';
let server: Server;
let endpoint: string;
const hanging: ServerResponse[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (answer === 'hang') return void hanging.push(response);
      const type = `com.amazonaws.dynamodb.v20120810#${answer.type}`;
      response.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': type });
      response.end(JSON.stringify({ __type: type, message: `stub ${answer.type}`, ...answer.extra }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const response of hanging) response.destroy();
  await new Promise((resolve) => server.close(resolve));
});

const client = (url: string) =>
  new DynamoDBClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 300, requestTimeout: 300, throwOnRequestTimeout: true },
  });

const getItem = new GetItemCommand({ TableName: 't', Key: { id: { S: '1' } } });
const putItem = new PutItemCommand({ TableName: 't', Item: { id: { S: '1' } }, ConditionExpression: 'attribute_not_exists(id)' });
const transactWrite = new TransactWriteItemsCommand({
  TransactItems: [{ Put: { TableName: 't', Item: { id: { S: '1' } }, ConditionExpression: 'attribute_not_exists(id)' } }],
});

/** The error the real client throws for this answer (or for an unreachable endpoint). */
async function errorFor(next: Answer, command: GetItemCommand | PutItemCommand | TransactWriteItemsCommand = getItem, url = endpoint): Promise<Error> {
  answer = next;
  const dynamo = client(url);
  try {
    await dynamo.send(command as GetItemCommand);
  } catch (error) {
    return error as Error;
  } finally {
    dynamo.destroy();
  }
  throw new Error('the request succeeded');
}

describe('isDynamoUnavailable: DynamoDB throttling or failing (503 DEPENDENCY_UNAVAILABLE)', () => {
  it.each([
    ['ThrottlingException', 400],
    ['ProvisionedThroughputExceededException', 400],
    ['RequestLimitExceeded', 400],
    ['InternalServerError', 500],
    ['ServiceUnavailable', 503],
  ])('%s (HTTP %i)', async (type, status) => {
    const error = await errorFor({ status, type });
    expect(error.name).toBe(type);
    expect(isDynamoUnavailable(error)).toBe(true);
  });

  it('a 5xx whose name it does not know', async () => {
    const error = await errorFor({ status: 502, type: 'SomethingBrokeUpstream' });
    expect((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(502);
    expect(isDynamoUnavailable(error)).toBe(true);
  });

  it('a request that gets no answer within its timeout', async () => {
    const error = await errorFor('hang');
    expect(error.name).toBe('TimeoutError');
    expect(isDynamoUnavailable(error)).toBe(true);
  });

  it('a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const error = await errorFor('hang', getItem, url);
    expect(isDynamoUnavailable(error)).toBe(true);
  });
});

describe('isDynamoUnavailable: an answer that decides (passed through, never a 503)', () => {
  it('ConditionalCheckFailedException', async () => {
    const error = await errorFor({ status: 400, type: 'ConditionalCheckFailedException' }, putItem);
    expect(error.name).toBe('ConditionalCheckFailedException');
    expect(isDynamoUnavailable(error)).toBe(false);
  });

  it('TransactionCanceledException whose reasons are failed conditions', async () => {
    const reasons = [{ Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }, { Code: 'None' }];
    const error = await errorFor({ status: 400, type: 'TransactionCanceledException', extra: { CancellationReasons: reasons } }, transactWrite);
    expect(error).toMatchObject({ name: 'TransactionCanceledException', CancellationReasons: reasons });
    expect(isDynamoUnavailable(error)).toBe(false);
  });

  it('ValidationException', async () => {
    const error = await errorFor({ status: 400, type: 'ValidationException' });
    expect(error.name).toBe('ValidationException');
    expect(isDynamoUnavailable(error)).toBe(false);
  });

  it('anything that is not an Error', () => {
    expect(isDynamoUnavailable('ThrottlingException')).toBe(false);
    expect(isDynamoUnavailable(undefined)).toBe(false);
  });
});
