import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { configSection, envUrl } from '../../config/env';

const dynamoConfig = configSection('DynamoDB', {
  /** Absent on AWS; the local stack and tests point it at DynamoDB Local. */
  DYNAMODB_ENDPOINT: envUrl.optional(),
  AWS_REGION: z.string().default('ap-shanghai'),
});

let documentClient: DynamoDBDocumentClient | undefined;

/** The container's one DynamoDB document client, created at first use and reused while warm. */
export function dynamo(): DynamoDBDocumentClient {
  if (documentClient) return documentClient;
  const config = dynamoConfig();
  const local = config.DYNAMODB_ENDPOINT !== undefined;
  const client = new DynamoDBClient({
    region: config.AWS_REGION,
    ...(local ? { endpoint: config.DYNAMODB_ENDPOINT, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    // Fail fast inside a Lambda's time budget instead of the SDK's long default socket waits.
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
    maxAttempts: 3,
  });
  documentClient = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return documentClient;
}
