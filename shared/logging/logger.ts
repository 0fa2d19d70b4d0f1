import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one JSON logger. Correlation ids (requestId, userId, orderId, messageId) are appended per invocation and
 * cleared after it. Secrets, tokens and session keys are never passed to it.
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'wx-shop',
  logLevel: (process.env.LOG_LEVEL ?? 'INFO') as 'INFO',
});

/** Error details for a log line: name, message and stack, never the raw object (it may carry request data). */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { errorName: error.name, errorMessage: error.message, stack: error.stack };
  return { errorMessage: String(error) };
}
