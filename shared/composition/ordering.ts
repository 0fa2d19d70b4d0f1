import { dynamoOrderRepository } from '../adapters/dynamodb/order-repository';
import { systemClock } from '../adapters/system/clock';
import { storeCatalog } from './catalog';
import { announce, dispatchAll } from './outbox';

/** What cancelling an unpaid order needs: the shopper's cancel, the timeout consumer and the sweep share it. */
export const cancelOrderDeps = { orders: dynamoOrderRepository, stockCache: storeCatalog, announce, dispatch: dispatchAll, clock: systemClock };
