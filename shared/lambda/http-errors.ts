import { DomainError } from '../domain/errors';

/** An error the HTTP layer itself raises (bad JSON, failed validation, missing credentials, unknown route). */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Domain error code -> HTTP status. A domain error missing here is a programming error and answers 500. */
const statusByCode: Record<string, number> = {
  UNAUTHORIZED: 401,
  STORE_NOT_FOUND: 404,
  WX_CODE_INVALID: 401,
  WX_LOGIN_BLOCKED: 403,
  WX_RATE_LIMITED: 429,
  WX_UNAVAILABLE: 503,
  MQ_UNAVAILABLE: 503,
};

export type ErrorResponse = { statusCode: number; code: string; message: string };

/** Maps any thrown value to the status and public body; `undefined` means an unexpected fault (500, details only in the log). */
export function toErrorResponse(error: unknown): ErrorResponse | undefined {
  if (error instanceof HttpError) return { statusCode: error.statusCode, code: error.code, message: error.message };
  if (error instanceof DomainError) {
    const statusCode = statusByCode[error.code];
    if (statusCode) return { statusCode, code: error.code, message: error.message };
  }
  return undefined;
}
