import type { PaymentAnomaly } from '../../domain/payment/payment';
import type { PageRequest, PaymentAnomalyLog } from '../../ports/admin';
import type { AdminPage } from './search-orders';

export type AnomalyView = Omit<PaymentAnomaly, 'transactionId'> & { transactionId: string | null };

/** Payments that did not match their order (amount, payer, merchant, a second payment), newest first, for an operator to settle. */
export async function listPaymentAnomalies(deps: { anomalies: PaymentAnomalyLog }, input: PageRequest): Promise<AdminPage<AnomalyView>> {
  const page = await deps.anomalies.newestFirst(input);
  return {
    items: page.items.map(({ id, outTradeNo, transactionId, kind, expected, received, at }) => ({ id, outTradeNo, transactionId: transactionId ?? null, kind, expected, received, at })),
    nextCursor: page.nextCursor ?? null,
  };
}
