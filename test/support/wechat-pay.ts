import { createPrivateKey, createPublicKey, verify } from 'node:crypto';
import { createWechatPayGateway } from '../../shared/adapters/wechat/pay-gateway';
import { sandboxClient } from '../wechat/support/stand-in';
import { startNotifyReceiver } from '../wechat/support/notify-receiver';

/** The stand-in the functions talk to (the jest run's own, or a test file's private one). */
export const sandbox = () => sandboxClient(process.env.WXPAY_BASE_URL as string);

/** A WeChat Pay client with the functions' own configuration, for a test to act as the merchant directly. */
export function merchantGateway() {
  const env = (name: string) => process.env[name] as string;
  return createWechatPayGateway({
    appid: env('WX_APPID'),
    mchid: env('WXPAY_MCHID'),
    apiBaseUrl: env('WXPAY_BASE_URL'),
    merchantSerialNo: env('WXPAY_MERCHANT_SERIAL_NO'),
    merchantPrivateKey: createPrivateKey(env('WXPAY_MERCHANT_PRIVATE_KEY')),
    wechatpayPublicKeyId: env('WXPAY_PUBLIC_KEY_ID'),
    wechatpayPublicKeys: new Map([[env('WXPAY_PUBLIC_KEY_ID'), createPublicKey(env('WXPAY_PUBLIC_KEY'))]]),
  });
}

export type CapturedNotification = { headers: Record<string, string>; body: string };

/**
 * A genuine TRANSACTION.SUCCESS notification for one of our orders, as WeChat Pay signs it, captured instead of
 * delivered: the trade is opened with the order's own parameters but a notify_url of the test's, then paid. The test
 * then delivers the very same bytes to the webhook as often as it likes (within WeChat Pay's 5-minute window).
 */
export async function captureNotification(order: { id: string; payableFen: number; payDeadline: string }, payerOpenid: string, pay: { amountFen?: number } = {}): Promise<CapturedNotification> {
  const receiver = await startNotifyReceiver(() => 204);
  try {
    await merchantGateway().prepay({ outTradeNo: order.id, description: 'captured', amountFen: order.payableFen, payerOpenid, notifyUrl: receiver.url, expiresAt: new Date(order.payDeadline) });
    const paid = await sandbox().pay(order.id, pay);
    if (paid.tradeState !== 'SUCCESS') throw new Error(`stand-in did not pay ${order.id}: ${JSON.stringify(paid)}`);
    const [delivery] = await receiver.waitFor(1);
    const headers = Object.fromEntries(Object.entries(delivery?.headers ?? {}).filter(([name]) => name.startsWith('wechatpay-') || name === 'content-type')) as Record<string, string>;
    return { headers, body: delivery?.body ?? '' };
  } finally {
    await receiver.close();
  }
}

/** Checks `paySign` of wx.requestPayment parameters with the merchant's public key, as the WeChat client does. */
export function paySignIsValid(params: { timeStamp: string; nonceStr: string; package: string; paySign: string }, merchantPublicKeyPem: string): boolean {
  const message = `${process.env.WX_APPID}\n${params.timeStamp}\n${params.nonceStr}\n${params.package}\n`;
  return verify('sha256', Buffer.from(message), createPublicKey(merchantPublicKeyPem), Buffer.from(params.paySign, 'base64'));
}

/**
 * Reads until `ready`. The default allows for WeChat Pay's retry: a first delivery that finds a cold webhook on a busy
 * machine may miss its 5 s window, and the retry comes 15 s later.
 */
export async function waitFor<T>(read: () => Promise<T>, ready: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ready(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
