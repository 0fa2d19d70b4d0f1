// Scheduled: cancels orders still unpaid well after their deadline, whose OrderPayTimeout message was lost.
import { cancelOrderDeps } from '../../shared/composition/ordering';
import { orderConfig } from '../../shared/config/orders';
import { exitAfterInvokeLocal } from '../../shared/lambda/invoke-local';
import { sweepOverdueOrders } from '../../shared/use-cases/ordering/cancel-order';

const graceSeconds = orderConfig().ORDER_SWEEP_GRACE_SECONDS;

export const handler = exitAfterInvokeLocal(async () => sweepOverdueOrders(await cancelOrderDeps(), { graceSeconds }));
