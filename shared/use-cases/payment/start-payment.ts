import { OrderStateError } from '../../domain/ordering/errors';
import type { Order } from '../../domain/ordering/order';
import { logger } from '../../logging/logger';
import type { Clock } from '../../ports/clock';
import { DependencyUnavailableError } from '../../ports/errors';
import type { OrderRepository } from '../../ports/ordering';
import { PaymentGatewayError, PaymentGatewayUnavailableError, type PaymentGateway, type RequestPaymentParams } from '../../ports/payment-gateway';
import type { PaymentLedger } from '../../ports/payments';
import { ownOrder } from '../ordering/view-orders';

export type StartPaymentDeps = {
  orders: Pick<OrderRepository, 'get'>;
  ledger: Pick<PaymentLedger, 'recordPrepay'>;
  gateway: Pick<PaymentGateway, 'prepay' | 'requestPaymentParams'>;
  clock: Clock;
  notifyUrl: string;
};

/** A prepay_id is valid for 2 hours; a new one is asked for 10 minutes before that. */
const PREPAY_REUSE_MS = (120 - 10) * 60_000;
/** WeChat Pay answers a repeated prepay (same out_trade_no and parameters) with the same prepay_id, so retrying is safe. */
const PREPAY_ATTEMPTS = 2;

/** The bill's text; the same at every attempt, since WeChat Pay compares the parameters of a repeated prepay. */
function description(order: Order): string {
  const [first] = order.items;
  const count = order.items.reduce((sum, line) => sum + line.quantity, 0);
  return `${first?.name ?? '商品'}${count > 1 ? `等${count}件` : ''}`.slice(0, 120);
}

const transient = (error: unknown) => error instanceof PaymentGatewayUnavailableError || (error instanceof PaymentGatewayError && error.retryable);

async function prepayWithRetries(deps: StartPaymentDeps, order: Order): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { prepayId } = await deps.gateway.prepay({
        outTradeNo: order.id,
        description: description(order),
        amountFen: order.payableFen,
        payerOpenid: order.openid,
        notifyUrl: deps.notifyUrl,
        expiresAt: new Date(order.payDeadline),
      });
      return prepayId;
    } catch (error) {
      if (error instanceof PaymentGatewayError && (error.providerCode === 'ORDERPAID' || error.providerCode === 'ORDER_CLOSED')) {
        throw new OrderStateError('ORDER_NOT_PAYABLE', order.id, error.providerCode === 'ORDERPAID' ? 'already paid at WeChat Pay' : 'closed at WeChat Pay');
      }
      if (!transient(error)) throw error;
      logger.warn('prepay failed; trying again with the same parameters', { orderId: order.id, attempt, errorMessage: (error as Error).message });
      if (attempt >= PREPAY_ATTEMPTS) throw new DependencyUnavailableError('wechatpay', (error as Error).message);
    }
  }
}

/**
 * The parameters of `wx.requestPayment` for the caller's unpaid order.
 *
 * Primary course:
 *  1. Refuse an order that is not the caller's (404), not WAIT_PAY or past its deadline (409 ORDER_NOT_PAYABLE).
 *  2. Reuse the order's prepay while it is valid; otherwise open a JSAPI prepay with time_expire at the order's pay
 *     deadline, the payer's openid and the payable amount, and keep its prepay_id on the order.
 *  3. Sign the parameters with the merchant key (no network call).
 */
export async function startPayment(deps: StartPaymentDeps, input: { userId: string; orderId: string }): Promise<RequestPaymentParams> {
  const order = await ownOrder(deps, input);
  const now = deps.clock.now();
  if (order.status !== 'WAIT_PAY') throw new OrderStateError('ORDER_NOT_PAYABLE', order.id, order.status);
  if (now.toISOString() >= order.payDeadline) throw new OrderStateError('ORDER_NOT_PAYABLE', order.id, 'past its pay deadline');
  const reusable = order.prepay && now.getTime() - new Date(order.prepay.createdAt).getTime() < PREPAY_REUSE_MS;
  let prepayId = reusable ? order.prepay?.prepayId : undefined;
  if (!prepayId) {
    prepayId = await prepayWithRetries(deps, order);
    if (!(await deps.ledger.recordPrepay(order.id, { prepayId, createdAt: now.toISOString() }))) {
      throw new OrderStateError('ORDER_NOT_PAYABLE', order.id, 'no longer waiting for payment');
    }
  }
  return deps.gateway.requestPaymentParams(prepayId);
}
