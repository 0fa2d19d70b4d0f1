import { configSection, envUrl } from './env';

/** Where WeChat Pay sends its notifications: this API's webhooks, as the outside world reaches them. */
export const paymentCallbackConfig = configSection('WeChat Pay callbacks', {
  WXPAY_NOTIFY_URL: envUrl,
  WXPAY_REFUND_NOTIFY_URL: envUrl,
});
