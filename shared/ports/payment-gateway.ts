import { DomainError } from '../domain/errors';

/** A JSAPI (mini-program) payment to open for an order. The order id is the payment's `outTradeNo`. */
export type PrepayRequest = {
  outTradeNo: string;
  /** Shown on the user's bill; at most 127 characters. */
  description: string;
  amountFen: number;
  payerOpenid: string;
  notifyUrl: string;
  /** After this instant the payment can no longer be made; fixed at the first prepay of an order. */
  expiresAt: Date;
  attach?: string;
};

/** The parameters `wx.requestPayment` takes, signed with the merchant key. */
export type RequestPaymentParams = {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
};

export type PaymentState = 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR';

/** A payment as WeChat Pay reports it (query answer or payment notification). */
export type Payment = {
  appid: string;
  mchid: string;
  outTradeNo: string;
  state: PaymentState;
  stateDescription?: string;
  /** WeChat Pay's own id for the payment; present once paid. */
  transactionId?: string;
  /** The order amount; compare it with the order's payable amount. */
  amountFen?: number;
  /** What the user actually paid, after WeChat-side discounts. */
  payerAmountFen?: number;
  currency?: string;
  payerOpenid?: string;
  paidAt?: string;
  attach?: string;
};

export type RefundState = 'SUCCESS' | 'CLOSED' | 'PROCESSING' | 'ABNORMAL';

export type RefundRequest = {
  outTradeNo: string;
  /** Our idempotency key: the same number refunds at most once, so retry with it after a failure or timeout. */
  outRefundNo: string;
  refundFen: number;
  /** The original payment's total. */
  totalFen: number;
  /** Shown in the user's refund message; at most 80 bytes. */
  reason?: string;
  notifyUrl?: string;
};

export type Refund = {
  outRefundNo: string;
  refundId: string;
  outTradeNo: string;
  transactionId: string;
  state: RefundState;
  refundFen: number;
  totalFen: number;
  refundedAt?: string;
  /** Where the money went, e.g. `支付用户零钱`. */
  receivedAccount?: string;
};

/** WeChat Pay, direct merchant, API v3. Every answer it returns has been signature-verified. */
export interface PaymentGateway {
  /** Opens (or, with the same parameters, reopens) the payment and returns its prepay id. */
  prepay(request: PrepayRequest): Promise<{ prepayId: string }>;
  /** Signs the `wx.requestPayment` parameters for a prepay id; no network call. */
  requestPaymentParams(prepayId: string): RequestPaymentParams;
  /** `undefined` when WeChat Pay has no payment under that number. */
  queryPayment(outTradeNo: string): Promise<Payment | undefined>;
  /** Makes an unpaid payment unpayable; closing a closed payment succeeds again. */
  closePayment(outTradeNo: string): Promise<void>;
  /** Asks for a refund; the answer usually says PROCESSING and the outcome arrives by notification or query. */
  createRefund(request: RefundRequest): Promise<Refund>;
  /** `undefined` when WeChat Pay has no refund under that number. */
  queryRefund(outRefundNo: string): Promise<Refund | undefined>;
}

/** WeChat Pay answered with an error status. `retryable` is true for 5xx and 429: repeat with the same parameters. */
export class PaymentGatewayError extends DomainError {
  override readonly name = 'PaymentGatewayError';
  readonly code = 'PAYMENT_GATEWAY_ERROR';
  readonly retryable: boolean;
  constructor(
    readonly httpStatus: number,
    /** WeChat Pay's own error code, e.g. `OUT_TRADE_NO_USED`, `ORDER_NOT_EXIST`, `SIGN_ERROR`. */
    readonly providerCode: string,
    readonly providerMessage: string,
  ) {
    super(`WeChat Pay answered ${httpStatus} ${providerCode}: ${providerMessage}`);
    this.retryable = httpStatus >= 500 || httpStatus === 429;
  }
}

/** WeChat Pay could not be reached or did not answer in time: the outcome is unknown, so query before acting again. */
export class PaymentGatewayUnavailableError extends DomainError {
  override readonly name = 'PaymentGatewayUnavailableError';
  readonly code = 'PAYMENT_GATEWAY_UNAVAILABLE';
  constructor(readonly detail: string) {
    super(`WeChat Pay is unreachable: ${detail}`);
  }
}

/**
 * Why a signed message from WeChat Pay (an API answer or a notification) was refused. The first five concern the
 * signature, the rest the notification's content.
 */
export type SignatureRejectReason = 'MISSING_HEADER' | 'MALFORMED_HEADER' | 'STALE_TIMESTAMP' | 'UNKNOWN_SERIAL' | 'BAD_SIGNATURE';
export type NotificationRejectReason =
  | SignatureRejectReason
  | 'MALFORMED_BODY'
  | 'UNSUPPORTED_ALGORITHM'
  | 'UNEXPECTED_EVENT'
  | 'DECRYPTION_FAILED'
  | 'MALFORMED_RESOURCE'
  | 'MCHID_MISMATCH'
  | 'APPID_MISMATCH'
  /** A TRANSACTION.SUCCESS whose transaction is not in trade_state SUCCESS: nothing was paid, nothing to record. */
  | 'NOT_PAID';

/**
 * A 2xx answer from WeChat Pay failed verification (unsigned, stale, unknown key, bad or probe signature). It may be
 * forged or a deliberate signature probe: treat the outcome as unknown and query again.
 */
export class PaymentResponseUnverifiedError extends DomainError {
  override readonly name = 'PaymentResponseUnverifiedError';
  readonly code = 'PAYMENT_RESPONSE_UNVERIFIED';
  constructor(
    readonly reason: SignatureRejectReason,
    readonly detail: string,
  ) {
    super(`WeChat Pay answer failed verification (${reason}): ${detail}`);
  }
}

/** A notification was refused before anything was trusted; the webhook answers 4xx with `{code:"FAIL"}`. */
export class PaymentNotificationRejectedError extends DomainError {
  override readonly name = 'PaymentNotificationRejectedError';
  readonly code = 'PAYMENT_NOTIFICATION_REJECTED';
  constructor(
    readonly reason: NotificationRejectReason,
    readonly detail: string,
  ) {
    super(`payment notification rejected (${reason}): ${detail}`);
  }
}

/** What a webhook received, before any parsing: API Gateway may hand the body over base64-encoded. */
export type RawNotification = {
  headers: Readonly<Record<string, string | undefined>>;
  body: string | undefined;
  isBase64Encoded?: boolean;
};

export type PaymentNotification = {
  /** WeChat Pay's notification id (`EV-...`), the same on every redelivery; log it. */
  id: string;
  createdAt: string;
  eventType: 'TRANSACTION.SUCCESS';
  payment: Payment;
};

export type RefundNotification = {
  id: string;
  createdAt: string;
  eventType: 'REFUND.SUCCESS' | 'REFUND.ABNORMAL' | 'REFUND.CLOSED';
  refund: Refund;
};

/**
 * Checks a WeChat Pay notification completely (signature, replay window, key, authenticated decryption, event type,
 * merchant and app) and returns its decrypted content. Throws PaymentNotificationRejectedError.
 * Amount and order checks against our own records stay with the use case.
 */
export interface PaymentNotificationVerifier {
  verifyPayment(raw: RawNotification): PaymentNotification;
  verifyRefund(raw: RawNotification): RefundNotification;
}
