import { dynamoOrderRepository } from '../../shared/adapters/dynamodb/order-repository';
import { dynamoPaymentAnomalies, dynamoPaymentLedger, dynamoRefundRepository } from '../../shared/adapters/dynamodb/payment-ledger';
import { redis } from '../../shared/adapters/redis/client';
import { redisPaidMarks } from '../../shared/adapters/redis/paid-marks';
import { systemClock } from '../../shared/adapters/system/clock';
import { announce, dispatchAll } from '../../shared/composition/outbox';
import type { PaymentGateway } from '../../shared/ports/payment-gateway';
import type { RecordPaymentDeps } from '../../shared/use-cases/payment/record-payment';

/** The payment-recording dependencies with the real DynamoDB and Redis adapters, and the given WeChat Pay side. */
export function recordPaymentDeps(gateway: Pick<PaymentGateway, 'createRefund'>): RecordPaymentDeps {
  return {
    orders: dynamoOrderRepository,
    ledger: dynamoPaymentLedger,
    anomalies: dynamoPaymentAnomalies,
    marks: redisPaidMarks(redis),
    refunds: dynamoRefundRepository,
    gateway,
    refundNotifyUrl: 'http://127.0.0.1:9/wxpay/refund-notify',
    announce,
    dispatch: dispatchAll,
    clock: systemClock,
  };
}
