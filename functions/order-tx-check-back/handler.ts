// Scheduled: the check-back of transactional messages (OrderRefunded, OrderFinished). Decides each half message whose
// commit or rollback was lost from DynamoDB alone; it never calls the order functions.
import type { Context } from 'aws-lambda';
import { dynamoOrderRepository } from '../../shared/adapters/dynamodb/order-repository';
import { dynamoRefundRepository } from '../../shared/adapters/dynamodb/payment-ledger';
import { rocketmqHalfChecks } from '../../shared/adapters/rocketmq/tx-publisher';
import { systemClock } from '../../shared/adapters/system/clock';
import { transactionConfig } from '../../shared/config/refunds';
import { exitAfterInvokeLocal } from '../../shared/lambda/invoke-local';
import { pollBudget } from '../../shared/lambda/mq-consumer';
import { runCheckBack } from '../../shared/use-cases/refunds/check-back';

const deps = {
  checks: rocketmqHalfChecks,
  refunds: dynamoRefundRepository,
  orders: dynamoOrderRepository,
  clock: systemClock,
  rollbackAfterSeconds: transactionConfig().TX_ROLLBACK_AFTER_SECONDS,
};

export const handler = exitAfterInvokeLocal(async (event: unknown, context: Context) => runCheckBack(deps, { remainingMs: pollBudget(event, context, 5_000) }));
