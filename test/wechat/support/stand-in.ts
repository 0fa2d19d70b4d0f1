import { createPrivateKey, createPublicKey } from 'node:crypto';
import {
  generateLocalMerchantIdentity,
  startWechatStandIn,
  type LocalMerchantIdentity,
  type PayFault,
  type PayOperation,
  type PayQuirks,
  type WechatStandIn,
  type WechatStandInOptions,
} from '../../../local/wechat-stand-in';
import type { Clock } from '../../../shared/ports/clock';

export type TestStandIn = { merchant: LocalMerchantIdentity; standIn: WechatStandIn; sandbox: Sandbox };

/** Starts a stand-in on a free loopback port with a fresh local merchant identity. */
export async function startTestStandIn(options: Partial<WechatStandInOptions> = {}): Promise<TestStandIn> {
  const merchant = generateLocalMerchantIdentity();
  const standIn = await startWechatStandIn({ ...merchant, port: 0, ...options });
  return { merchant, standIn, sandbox: sandboxClient(standIn.url) };
}

async function call(url: string, method: 'GET' | 'POST', body?: unknown): Promise<any> {
  const response = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, ...(text ? JSON.parse(text) : {}) };
}

type Scope = { outTradeNo?: string; outRefundNo?: string };
export type PayFaultBody = Scope & { fault: PayFault; operation?: PayOperation; calls?: number[]; applied?: boolean };

/** The stand-in's `/__sandbox/*` control routes (README.md), for any stand-in URL, the jest-wide one included. */
export function sandboxClient(baseUrl: string) {
  const post = (path: string, body: unknown = {}) => call(`${baseUrl}${path}`, 'POST', body);
  const get = (path: string) => call(`${baseUrl}${path}`, 'GET');
  return {
    loginCode: (body: { openid?: string; user?: string; unionid?: string } = {}) => post('/__sandbox/login-codes', body),
    newOpenid: async (): Promise<string> => (await post('/__sandbox/login-codes', {})).openid,
    injectLoginErrcodes: (errcodes: number[], code?: string) => post('/__sandbox/login-faults', { errcodes, ...(code ? { code } : {}) }),
    subscribe: (openid: string, templateId: string, count: number) => post('/__sandbox/subscriptions', { openid, templateId, count }),
    messages: (touser: string) => get(`/__sandbox/subscribe-messages?touser=${encodeURIComponent(touser)}`),
    templates: () => get('/__sandbox/templates'),
    invalidateTokens: () => post('/__sandbox/access-token/invalidate'),
    expireTokens: () => post('/__sandbox/access-token/expire'),
    pay: (outTradeNo: string, body: { amountFen?: number; payerTotalFen?: number; force?: boolean } = {}) => post(`/__sandbox/pay/${outTradeNo}`, body),
    trade: (outTradeNo: string) => get(`/__sandbox/pay/${outTradeNo}`),
    /** As if `seconds` had passed for this trade alone: its time_expire, prepay_id age and refund spacing. */
    elapse: (outTradeNo: string, seconds: number) => post(`/__sandbox/pay/${outTradeNo}/elapse`, { seconds }),
    armPayFault: (body: PayFaultBody) => post('/__sandbox/pay-faults', body),
    payFaults: () => get('/__sandbox/pay-faults'),
    setPayQuirks: (outTradeNo: string, quirks: Partial<PayQuirks>) => post('/__sandbox/pay-quirks', { outTradeNo, ...quirks }),
    armRefundOutcome: (body: Scope & { status: 'SUCCESS' | 'CLOSED' | 'ABNORMAL' | 'PROCESSING'; calls?: number[] }) => post('/__sandbox/refund-outcomes', body),
    settleRefund: (outRefundNo: string, status: 'SUCCESS' | 'CLOSED' | 'ABNORMAL') => post(`/__sandbox/refunds/${outRefundNo}`, { status }),
    armNotificationFaults: (faults: string[], where: Scope & { eventType?: string } = {}) => post('/__sandbox/notification-faults', { faults, ...where }),
    notifications: (where: Scope = {}) => get(`/__sandbox/notifications?${new URLSearchParams(where)}`),
    reset: (where: Scope = {}) => post('/__sandbox/reset', where),
    config: () => get('/__sandbox/config'),
    stats: () => get('/__sandbox/stats'),
  };
}
export type Sandbox = ReturnType<typeof sandboxClient>;

/** The stand-in's record of the (first) notification for a trade, once `ready` holds for it. */
export async function notificationRecord(sandbox: Sandbox, outTradeNo: string, ready: (record: any) => boolean, timeoutMs = 10_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [record] = (await sandbox.notifications({ outTradeNo })).items;
    if (record && ready(record)) return record;
    if (Date.now() > deadline) throw new Error(`notification record for ${outTradeNo} never got ready: ${JSON.stringify(record)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Our side's WeChat Pay settings for talking to this stand-in, as production would load them from configuration. */
export function merchantPaySettings({ merchant, standIn }: Pick<TestStandIn, 'merchant' | 'standIn'>, clock?: Clock) {
  return {
    appid: merchant.appid,
    mchid: merchant.mchid,
    apiBaseUrl: standIn.url,
    merchantSerialNo: merchant.merchantSerialNo,
    merchantPrivateKey: createPrivateKey(merchant.merchantPrivateKeyPem),
    apiV3Key: Buffer.from(merchant.apiV3Key),
    wechatpayPublicKeyId: standIn.config.wechatpayPublicKeyId,
    wechatpayPublicKeys: new Map([[standIn.config.wechatpayPublicKeyId, createPublicKey(standIn.config.wechatpayPublicKeyPem)]]),
    ...(clock ? { clock } : {}),
  };
}

let tradeCounter = 0;
/** A fresh out_trade_no (6-32 of [0-9A-Za-z_-]) per call. */
export function newOutTradeNo(prefix = 'T'): string {
  tradeCounter += 1;
  return `${prefix}${Date.now().toString(36)}${tradeCounter}`.slice(0, 32);
}
