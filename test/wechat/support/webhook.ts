import { createPaymentNotificationVerifier, type PaymentNotificationVerifierDeps } from '../../../shared/adapters/wechat/pay-notification';
import type { PaymentNotification, PaymentNotificationRejectedError, RawNotification, RefundNotification } from '../../../shared/ports/payment-gateway';
import { notificationRejectionStatus } from '../../../shared/lambda/http-errors';
import { startNotifyReceiver, type NotifyReceiver, type ReceivedNotification } from './notify-receiver';

export const rawNotification = (delivery: Pick<ReceivedNotification, 'headers' | 'body'>): RawNotification => ({ headers: delivery.headers as Record<string, string>, body: delivery.body });

export type Webhook<K extends 'payment' | 'refund'> = {
  receiver: NotifyReceiver;
  /** Per delivery: `ACCEPTED` or the verifier's rejection reason. */
  outcomes: string[];
  /** What the verifier returned for each accepted delivery. */
  accepted: Verified<K>[];
  /** The first accepted notification that `matches`, waiting for it up to `timeoutMs`. */
  acceptedOne(matches: (notification: Verified<K>) => boolean, timeoutMs?: number): Promise<Verified<K>>;
};

type Verified<K> = K extends 'payment' ? PaymentNotification : RefundNotification;

/** A notify_url that answers as our webhook would: 204 when the project's verifier accepts, its status otherwise. */
export async function startWebhook<K extends 'payment' | 'refund'>(deps: PaymentNotificationVerifierDeps, kind: K): Promise<Webhook<K>> {
  const verifier = createPaymentNotificationVerifier(deps);
  const outcomes: string[] = [];
  const accepted: Verified<K>[] = [];
  const receiver = await startNotifyReceiver((_, delivery) => {
    try {
      const raw = rawNotification(delivery);
      accepted.push((kind === 'payment' ? verifier.verifyPayment(raw) : verifier.verifyRefund(raw)) as Verified<K>);
      outcomes.push('ACCEPTED');
      return 204;
    } catch (error) {
      outcomes.push((error as PaymentNotificationRejectedError).reason);
      return notificationRejectionStatus((error as PaymentNotificationRejectedError).reason);
    }
  });
  async function acceptedOne(matches: (notification: Verified<K>) => boolean, timeoutMs = 5_000): Promise<Verified<K>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = accepted.find(matches);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching notification among ${accepted.length} accepted`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  return { receiver, outcomes, accepted, acceptedOne };
}
