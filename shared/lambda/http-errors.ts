import { DomainError } from '../domain/errors';
import { PaymentNotificationRejectedError, type NotificationRejectReason } from '../ports/payment-gateway';

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

/** Domain and port error code -> HTTP status. A domain error missing here is a programming error and answers 500. */
const statusByCode: Record<string, number> = {
  UNAUTHORIZED: 401,
  STORE_NOT_FOUND: 404,
  STORE_CLOSED: 409,
  PRODUCT_NOT_FOUND: 404,
  OUT_OF_STOCK: 409,
  COUPON_NOT_USABLE: 409,
  EMPTY_ORDER: 400,
  CART_CHANGED: 409,
  REQUEST_ID_REUSED: 409,
  INVALID_CURSOR: 400,
  ORDER_NOT_FOUND: 404,
  ORDER_NOT_CANCELLABLE: 409,
  ORDER_NOT_PAYABLE: 409,
  ORDER_NOT_CONFIRMABLE: 409,
  ORDER_NOT_FINISHABLE: 409,
  ORDER_NOT_REFUNDABLE: 409,
  WX_CODE_INVALID: 401,
  WX_LOGIN_BLOCKED: 403,
  WX_RATE_LIMITED: 429,
  WX_UNAVAILABLE: 503,
  MQ_UNAVAILABLE: 503,
  DEPENDENCY_UNAVAILABLE: 503,
  PAYMENT_GATEWAY_UNAVAILABLE: 503,
  PAYMENT_MISMATCH: 400,
  PAYMENT_IN_PROGRESS: 409,
  REFUND_NOT_FOUND: 404,
};

/** Seconds a client should wait before retrying a 503 or 429: long enough for a breaker or a throttle to clear. */
const RETRY_AFTER_SECONDS = { 503: 2, 429: 60 } as Record<number, number>;

export type ErrorResponse = { statusCode: number; code: string; message: string; headers: Record<string, string> };

function response(statusCode: number, code: string, message: string): ErrorResponse {
  const retryAfter = RETRY_AFTER_SECONDS[statusCode];
  return { statusCode, code, message, headers: retryAfter ? { 'retry-after': String(retryAfter) } : {} };
}

/** Maps any thrown value to the status and public body; `undefined` means an unexpected fault (500, details only in the log). */
export function toErrorResponse(error: unknown): ErrorResponse | undefined {
  if (error instanceof HttpError) return response(error.statusCode, error.code, error.message);
  if (error instanceof PaymentNotificationRejectedError) return response(notificationRejectionStatus(error.reason), error.code, error.message);
  if (error instanceof DomainError) {
    const statusCode = statusByCode[error.code];
    if (statusCode) return response(statusCode, error.code, error.message);
  }
  return undefined;
}

/** Content problems of a WeChat Pay notification answer 400; anything about its authenticity (headers, time, key, signature, decryption) 401. */
const BAD_REQUEST_REASONS: ReadonlySet<NotificationRejectReason> = new Set([
  'MALFORMED_BODY',
  'UNSUPPORTED_ALGORITHM',
  'UNEXPECTED_EVENT',
  'MALFORMED_RESOURCE',
  'MCHID_MISMATCH',
  'APPID_MISMATCH',
  'NOT_PAID',
]);

export function notificationRejectionStatus(reason: NotificationRejectReason): 400 | 401 {
  return BAD_REQUEST_REASONS.has(reason) ? 400 : 401;
}
