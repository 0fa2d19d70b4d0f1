import { DomainError } from '../errors';

/** An authentic payment that does not match our order (amount, payer, a second payment): refused, kept as an anomaly. */
export class PaymentMismatchError extends DomainError {
  override readonly name = 'PaymentMismatchError';
  readonly code = 'PAYMENT_MISMATCH';
  constructor(
    readonly orderId: string,
    readonly kind: string,
  ) {
    super(`payment for order ${orderId} does not match it (${kind}); recorded for an operator`);
  }
}

/** The shopper is entering their password right now (USERPAYING): the order is neither paid nor closable yet. */
export class PaymentInProgressError extends DomainError {
  override readonly name = 'PaymentInProgressError';
  readonly code = 'PAYMENT_IN_PROGRESS';
  constructor(readonly orderId: string) {
    super(`the payment of order ${orderId} is in progress at WeChat Pay; try again in a minute`);
  }
}

/** A refund that WeChat Pay has no record of, or that is not ours. */
export class RefundNotFoundError extends DomainError {
  override readonly name = 'RefundNotFoundError';
  readonly code = 'REFUND_NOT_FOUND';
  constructor(readonly outRefundNo: string) {
    super(`refund ${outRefundNo} does not exist`);
  }
}
