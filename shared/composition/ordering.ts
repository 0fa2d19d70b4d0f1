import { dynamoOrderRepository } from '../adapters/dynamodb/order-repository';
import { systemClock } from '../adapters/system/clock';
import type { CancelOrderDeps } from '../use-cases/ordering/cancel-order';
import { storeCatalog } from './catalog';
import { announce, dispatchAll } from './outbox';
import { paymentDeps, wechatPay } from './payment';

/** What cancelling an unpaid order needs: the shopper's cancel, the timeout consumer and the sweep share it. */
export async function cancelOrderDeps(): Promise<CancelOrderDeps> {
  const [{ gateway }, payments] = await Promise.all([wechatPay(), paymentDeps()]);
  return { orders: dynamoOrderRepository, stockCache: storeCatalog, announce, dispatch: dispatchAll, clock: systemClock, gateway, payments };
}
