import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DependencyUnavailableError } from '../../ports/errors';
import { configSection, envPositiveInt, envString, envUrl } from '../../config/env';
import * as z from '../../schemas/zod';

const dynamoConfig = configSection('DynamoDB', {
  /** Absent on AWS; the local stack and tests point it at DynamoDB Local. */
  DYNAMODB_ENDPOINT: z.optional(envUrl),
  AWS_REGION: z._default(envString, 'ap-shanghai'),
  /**
   * The time budget (docs/dependencies.md): a request that gets no answer for this long is abandoned and tried once more,
   * so a frozen DynamoDB costs about 2 x 1.2 s before the caller answers 503, well inside the 10 s function timeout.
   */
  DYNAMODB_REQUEST_TIMEOUT_MS: z._default(envPositiveInt, 1_200),
  DYNAMODB_MAX_ATTEMPTS: z._default(envPositiveInt, 2),
});

/** Errors that say DynamoDB is throttling us or failing, not that our request was wrong. */
const UNAVAILABLE_NAMES = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
]);

/** A transport failure (refused, reset, timed out) has no HTTP status; a throttle or a 5xx has its own name. */
export function isDynamoUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return UNAVAILABLE_NAMES.has(error.name) || status === undefined || status >= 500;
}

let documentClient: DynamoDBDocumentClient | undefined;

/**
 * The container's one DynamoDB document client, created at first use and reused while warm. Every error that means
 * "DynamoDB is unavailable" leaves it as DependencyUnavailableError (after the SDK's own retry); the errors that
 * carry a decision (a failed condition, a cancelled transaction) and programming errors pass through unchanged.
 */
export function dynamo(): DynamoDBDocumentClient {
  if (documentClient) return documentClient;
  const config = dynamoConfig();
  const local = config.DYNAMODB_ENDPOINT !== undefined;
  const client = new DynamoDBClient({
    region: config.AWS_REGION,
    ...(local ? { endpoint: config.DYNAMODB_ENDPOINT, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    // throwOnRequestTimeout: without it this SDK only warns when the timeout passes, and the request waits forever.
    requestHandler: { connectionTimeout: 500, requestTimeout: config.DYNAMODB_REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true },
    maxAttempts: config.DYNAMODB_MAX_ATTEMPTS,
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (isDynamoUnavailable(error)) throw new DependencyUnavailableError('dynamodb', `${(error as Error).name}: ${(error as Error).message}`);
        throw error;
      }
    },
    { step: 'initialize', name: 'dependencyUnavailable' },
  );
  documentClient = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return documentClient;
}
