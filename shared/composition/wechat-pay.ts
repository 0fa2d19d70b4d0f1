import { loadWxPaySettings } from '../adapters/wechat/config';
import { createWechatPayGateway } from '../adapters/wechat/pay-gateway';
import { createPaymentNotificationVerifier } from '../adapters/wechat/pay-notification';
import { dynamoOrderRepository } from '../adapters/dynamodb/order-repository';
import { dynamoPaymentAnomalies, dynamoRefundRepository } from '../adapters/dynamodb/payment-ledger';
import { systemClock } from '../adapters/system/clock';
import { paymentCallbackConfig } from '../config/payments';
import type { PaymentGateway, PaymentNotificationVerifier } from '../ports/payment-gateway';
import type { SettleRefundDeps } from '../use-cases/payment/settle-refund';
import type { ReconcileRefundsDeps } from '../use-cases/refunds/reconcile-refunds';
import { announce, dispatchAll } from './outbox';

/** WeChat Pay answers within this, or the call counts as failed (docs/dependencies.md). */
const WECHATPAY_TIMEOUT_MS = 3_000;

let wechatPayClients: Promise<{ gateway: PaymentGateway; verifier: PaymentNotificationVerifier }> | undefined;

/** The WeChat Pay client and notification verifier, built once per container from configuration and SSM secrets. */
export function wechatPay(): Promise<{ gateway: PaymentGateway; verifier: PaymentNotificationVerifier }> {
  wechatPayClients ??= loadWxPaySettings()
    .then((settings) => ({
      gateway: createWechatPayGateway({ ...settings, clock: systemClock, timeoutMs: WECHATPAY_TIMEOUT_MS }),
      verifier: createPaymentNotificationVerifier({ ...settings, clock: systemClock }),
    }))
    .catch((error: unknown) => {
      wechatPayClients = undefined;
      throw error;
    });
  return wechatPayClients;
}

/**
 * What executing, settling and reconciling refunds need: DynamoDB and WeChat Pay, no Redis (the refund functions
 * must not bundle a client they never use; payments add Redis in ./payment.ts).
 */
export async function refundDeps(): Promise<SettleRefundDeps & ReconcileRefundsDeps & { anomalies: typeof dynamoPaymentAnomalies }> {
  const { gateway } = await wechatPay();
  return {
    orders: dynamoOrderRepository,
    refunds: dynamoRefundRepository,
    anomalies: dynamoPaymentAnomalies,
    gateway,
    refundNotifyUrl: paymentCallbackConfig().WXPAY_REFUND_NOTIFY_URL,
    announce,
    dispatch: dispatchAll,
    clock: systemClock,
  };
}
