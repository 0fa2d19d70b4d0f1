import { dynamoPaymentLedger } from '../adapters/dynamodb/payment-ledger';
import { redis } from '../adapters/redis/client';
import { redisPaidMarks } from '../adapters/redis/paid-marks';
import type { RecordPaymentDeps } from '../use-cases/payment/record-payment';
import { refundDeps } from './wechat-pay';

export { wechatPay } from './wechat-pay';

const paidMarks = redisPaidMarks(redis);

/** What recording a payment needs (the payment webhook and the cancellation path share it): refunds' and Redis. */
export async function paymentDeps(): Promise<RecordPaymentDeps & Awaited<ReturnType<typeof refundDeps>>> {
  return { ...(await refundDeps()), ledger: dynamoPaymentLedger, marks: paidMarks };
}
