// POST /wxpay/refund-notify (API Gateway HTTP API, payload v2): WeChat Pay's refund notification. 204 after the commit.
import { httpHandler } from '../../shared/lambda/http-handler';
import { refundDeps, wechatPay } from '../../shared/composition/wechat-pay';
import { acceptRefundNotification } from '../../shared/use-cases/payment/payment-webhook';

export const handler = httpHandler({ wechatPayWebhook: true }, async ({ event }) => {
  const [{ verifier }, deps] = await Promise.all([wechatPay(), refundDeps()]);
  await acceptRefundNotification({ ...deps, verifier }, { headers: event.headers ?? {}, body: event.body, isBase64Encoded: event.isBase64Encoded });
  return { statusCode: 204 };
});
