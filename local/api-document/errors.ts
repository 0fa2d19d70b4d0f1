import { DomainError } from '../../shared/domain/errors';
import { HttpError, toErrorResponse } from '../../shared/lambda/http-errors';
import { PaymentNotificationRejectedError } from '../../shared/ports/payment-gateway';

/** Every error code a route can answer, and what it means to a client. */
export const errorCodes = {
  // Raised by the HTTP stack itself (shared/lambda/http-handler.ts), for every route alike.
  VALIDATION_FAILED: 'a path, query or body field is invalid; `message` names each offending field',
  INVALID_JSON: 'the request body is not valid JSON',
  PAYLOAD_TOO_LARGE: 'the request body is over 64 KiB',
  INTERNAL_ERROR: 'an unexpected fault; `message` quotes the request id to give support',
  UNAUTHORIZED: 'the credentials are missing, malformed, unknown or expired',
  DEPENDENCY_UNAVAILABLE: 'a service this request needs (DynamoDB, WeChat Pay) is down, throttling or too slow; nothing was decided: retry after `Retry-After`',
  // Domain and port errors: statuses from shared/lambda/http-errors.ts.
  WX_CODE_INVALID: 'the wx.login code is invalid, expired or already used',
  WX_LOGIN_BLOCKED: 'WeChat refuses this user (high-risk account)',
  WX_RATE_LIMITED: 'WeChat rate-limits this user\'s logins: retry after `Retry-After`',
  WX_UNAVAILABLE: 'WeChat is unreachable or busy: retry after `Retry-After`',
  MQ_UNAVAILABLE: 'the message queue is unreachable and this flow cannot go on without it; nothing changed: retry after `Retry-After`',
  PAYMENT_GATEWAY_UNAVAILABLE: 'WeChat Pay is unreachable: retry after `Retry-After`',
  STORE_NOT_FOUND: 'no store has this id',
  STORE_CLOSED: 'the store is closed and takes no orders',
  PRODUCT_NOT_FOUND: 'the store does not sell this product (unknown, or another store\'s)',
  OUT_OF_STOCK: 'a product does not have the quantity asked for in stock',
  COUPON_NOT_USABLE: 'the coupon is not the caller\'s, not UNUSED, expired, or the order is below its threshold',
  EMPTY_ORDER: 'the order has no items (none given and the cart is empty)',
  CART_CHANGED: 'the cart changed while the order was being placed: look at it and order again',
  REQUEST_ID_REUSED: 'this requestId was used for a different order: use a new one',
  INVALID_CURSOR: 'the cursor was not issued by this service for this caller: start again without it',
  ORDER_NOT_FOUND: 'no such order, or another user\'s (the two are indistinguishable)',
  ORDER_NOT_CANCELLABLE: 'the order is no longer WAIT_PAY',
  ORDER_NOT_PAYABLE: 'the order is not WAIT_PAY, is past its pay deadline, or is paid or closed at WeChat Pay',
  ORDER_NOT_CONFIRMABLE: 'the order is not PAID',
  ORDER_NOT_FINISHABLE: 'the order is not CONFIRMED',
  ORDER_NOT_REFUNDABLE: 'the order is not PAID or CONFIRMED',
  PAYMENT_NOTIFICATION_REJECTED: 'the notification failed verification: 401 for its authenticity (headers, timestamp, key, signature, decryption), 400 for its content',
  PAYMENT_MISMATCH: 'an authentic payment that does not match the order (amount, payer, a second payment), or a refund that does not match ours (its amounts or payment); kept as an anomaly',
  PAYMENT_IN_PROGRESS: 'the shopper is paying this order at WeChat Pay right now; try again in a minute',
  REFUND_NOT_FOUND: 'the notification names a refund we never asked for',
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** Answered by the HTTP stack before or around any flow; not domain errors, so not in the error table. */
const httpStackStatus: Partial<Record<ErrorCode, number>> = { VALIDATION_FAILED: 400, INVALID_JSON: 400, PAYLOAD_TOO_LARGE: 413, INTERNAL_ERROR: 500 };

/** A domain error with any code, to ask the one error table what it answers. */
class Probe extends DomainError {
  override readonly name = 'Probe';
  constructor(readonly code: string) {
    super(code);
  }
}

/**
 * The statuses a code answers with, taken from the HTTP layer's own table (shared/lambda/http-errors.ts) by asking
 * it. A code the table does not know answers 500 in production: that is an error here, not a guess.
 */
export function statusesOf(code: ErrorCode): number[] {
  const own = httpStackStatus[code];
  if (own) return [own];
  if (code === 'PAYMENT_NOTIFICATION_REJECTED') {
    const reasons = ['BAD_SIGNATURE', 'MALFORMED_BODY'] as const;
    return reasons.map((reason) => toErrorResponse(new PaymentNotificationRejectedError(reason, ''))?.statusCode as number).sort();
  }
  const mapped = toErrorResponse(new Probe(code));
  if (!mapped) throw new Error(`${code} is not in shared/lambda/http-errors.ts's table: a handler throwing it answers 500 INTERNAL_ERROR`);
  return [mapped.statusCode];
}

/** The `Retry-After` the HTTP stack adds to answers of this status (503 and 429), in seconds; undefined for others. */
export function retryAfterOf(status: number): string | undefined {
  return toErrorResponse(new HttpError(status, 'PROBE', ''))?.headers['retry-after'];
}

/** What the local gateway (API Gateway's stand-in) answers by itself, before any function runs. */
export const gatewayErrors = [
  { status: 404, code: 'NOT_FOUND', meaning: 'no route has this method and path' },
  { status: 400, code: 'INVALID_PATH', meaning: 'the path has malformed percent-encoding' },
  { status: 400, code: 'BAD_REQUEST', meaning: 'the HTTP request itself is malformed' },
  { status: 408, code: 'REQUEST_TIMEOUT', meaning: 'the request did not arrive in time' },
  { status: 413, code: 'PAYLOAD_TOO_LARGE', meaning: 'the body is over API Gateway\'s 10 MiB' },
  { status: 431, code: 'HEADERS_TOO_LARGE', meaning: 'the headers are over 16 KiB' },
  { status: 500, code: 'INTERNAL_ERROR', meaning: 'the function crashed or returned a malformed answer' },
] as const;
