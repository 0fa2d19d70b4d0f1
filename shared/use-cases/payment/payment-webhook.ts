import { anomalyId } from '../../domain/payment/payment';
import { logger } from '../../logging/logger';
import { PaymentNotificationRejectedError, type PaymentNotificationVerifier, type RawNotification } from '../../ports/payment-gateway';
import { recordPayment, type RecordPaymentDeps, type RecordPaymentOutcome } from './record-payment';
import { settleRefund, type SettleRefundDeps } from './settle-refund';

/** Verifies a notification, logging why one was refused. A notification naming another merchant or app is authentic
 * but not ours to take: it is kept as an anomaly for operators before being refused. */
async function verified<T>(deps: Pick<RecordPaymentDeps, 'anomalies' | 'clock'>, verify: () => T): Promise<T> {
  try {
    return verify();
  } catch (error) {
    if (!(error instanceof PaymentNotificationRejectedError)) throw error;
    logger.warn('WeChat Pay notification refused', { reason: error.reason, detail: error.detail });
    if (error.reason === 'MCHID_MISMATCH' || error.reason === 'APPID_MISMATCH') {
      const at = deps.clock.now().toISOString();
      // No trusted order number or transaction id to key it by: at most one record an hour while it goes on.
      await deps.anomalies.record({ id: anomalyId('unknown', at.slice(0, 13), 'MERCHANT_MISMATCH'), outTradeNo: 'unknown', kind: 'MERCHANT_MISMATCH', expected: 'our mchid and appid', received: error.reason, at });
    }
    throw error;
  }
}

/**
 * `POST /wxpay/notify`: verify everything first (signature over the raw body, serial, replay window, authenticated
 * decryption, merchant and app), then record the payment exactly once. Answers only after the commit; a duplicate
 * changes nothing; a forged or malformed notification throws before anything is written.
 */
export async function acceptPaymentNotification(
  deps: RecordPaymentDeps & { verifier: Pick<PaymentNotificationVerifier, 'verifyPayment'> },
  raw: RawNotification,
): Promise<RecordPaymentOutcome> {
  const notification = await verified(deps, () => deps.verifier.verifyPayment(raw));
  return recordPayment(deps, { payment: notification.payment, via: 'NOTIFICATION', notificationId: notification.id });
}

/** `POST /wxpay/refund-notify`: verified the same way, then the refund's outcome recorded once. */
export async function acceptRefundNotification(
  deps: SettleRefundDeps & { verifier: Pick<PaymentNotificationVerifier, 'verifyRefund'> },
  raw: RawNotification,
): Promise<'SETTLED' | 'DUPLICATE'> {
  const notification = await verified(deps, () => deps.verifier.verifyRefund(raw));
  return settleRefund(deps, { refund: notification.refund });
}
