import type { CapturedNotification } from '../../support/wechat-pay';

export type Forgery = { name: string; path: string; headers: Record<string, string>; body: string };

const flip = (base64: string) => {
  const bytes = Buffer.from(base64, 'base64');
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
  return bytes.toString('base64');
};
const now = () => Math.floor(Date.now() / 1000);

function without(headers: Record<string, string>, name: string): Record<string, string> {
  const { [name]: _dropped, ...rest } = headers;
  return rest;
}

/**
 * Every class of forgery of a genuine notification that a forger (or WeChat's own signature probe) can send to
 * `path`: signature headers missing, spoiled, stale, from the future, under an unknown key, the probe prefix; a body
 * tampered, re-serialised, of another event, or empty; the genuine notification sent to the other webhook.
 */
export function forgeriesOf(genuine: CapturedNotification, path: string, otherPath: string): Forgery[] {
  const h = genuine.headers;
  const signature = h['wechatpay-signature'] as string;
  const variants: Array<[string, Record<string, string>, string, string?]> = [
    ['spoiled signature', { ...h, 'wechatpay-signature': flip(signature) }, genuine.body],
    ['signature probe WECHATPAY/SIGNTEST/', { ...h, 'wechatpay-signature': `WECHATPAY/SIGNTEST/${signature}` }, genuine.body],
    ['unknown serial', { ...h, 'wechatpay-serial': 'PUB_KEY_ID_0000000000000000000000000000' }, genuine.body],
    ['stale timestamp', { ...h, 'wechatpay-timestamp': String(now() - 600) }, genuine.body],
    ['future timestamp', { ...h, 'wechatpay-timestamp': String(now() + 600) }, genuine.body],
    ['no signature', without(h, 'wechatpay-signature'), genuine.body],
    ['no timestamp', without(h, 'wechatpay-timestamp'), genuine.body],
    ['no nonce', without(h, 'wechatpay-nonce'), genuine.body],
    ['no serial', without(h, 'wechatpay-serial'), genuine.body],
    ['tampered ciphertext', h, genuine.body.replace(/"ciphertext":"([^"]+)"/, (_m, c: string) => `"ciphertext":"${flip(c)}"`)],
    ['re-serialised body', h, JSON.stringify(JSON.parse(genuine.body), null, 2)],
    ['another event type', h, genuine.body.replace(/"event_type":"[^"]+"/, '"event_type":"TRANSACTION.SUCCESS_X"')],
    ['empty body', h, ''],
    ['not JSON', h, 'event_type=TRANSACTION.SUCCESS'],
    ['sent to the other webhook', h, genuine.body, otherPath],
  ];
  return variants.map(([name, headers, body, to]) => ({ name, path: to ?? path, headers: { 'content-type': 'application/json', ...headers }, body }));
}
