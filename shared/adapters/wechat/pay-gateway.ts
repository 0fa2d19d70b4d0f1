import * as z from '../../schemas/zod';
import type { Clock } from '../../ports/clock';
import { systemClock } from '../system/clock';
import { PaymentGatewayError, type PaymentGateway, type RequestPaymentParams } from '../../ports/payment-gateway';
import { randomNonce, signLines } from './pay-crypto';
import { createWechatPayCall, readAnswer, type WechatPayCredentials } from './pay-http';
import { refundSchema, toPayment, toRefund, transactionSchema } from './pay-mapping';

export type WechatPayGatewayDeps = WechatPayCredentials & {
  appid: string;
  /** `https://api.mch.weixin.qq.com`, or the stand-in. */
  apiBaseUrl: string;
  wechatpayPublicKeyId?: string;
  fetch?: typeof fetch;
  clock?: Clock;
  timeoutMs?: number;
};

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1_000;

/** RFC 3339 in China time without fractions (`2025-05-20T13:29:35+08:00`), the form WeChat Pay's examples use. */
export function toWechatPayTime(instant: Date): string {
  return `${new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

const isNotFound = (error: unknown, providerCode: string) =>
  error instanceof PaymentGatewayError && error.httpStatus === 404 && error.providerCode === providerCode;

const prepaySchema = z.object({ prepay_id: z.string().check(z.minLength(1)) });

/**
 * WeChat Pay API v3 for a direct merchant's mini-program payments: JSAPI prepay, query, close, refund and refund
 * query, plus the signed `wx.requestPayment` parameters. Every request is signed with the merchant key and every
 * 2xx answer verified against the WeChat Pay public keys before it is read.
 */
export function createWechatPayGateway(deps: WechatPayGatewayDeps): PaymentGateway {
  const clock = deps.clock ?? systemClock;
  const call = createWechatPayCall({ ...deps, fetch: deps.fetch ?? fetch, clock, timeoutMs: deps.timeoutMs ?? 5_000 });
  const mchidQuery = `?mchid=${encodeURIComponent(deps.mchid)}`;
  const tradePath = (outTradeNo: string) => `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}`;

  return {
    async prepay(request) {
      const answer = await call('POST', '/v3/pay/transactions/jsapi', {
        appid: deps.appid,
        mchid: deps.mchid,
        description: request.description,
        out_trade_no: request.outTradeNo,
        time_expire: toWechatPayTime(request.expiresAt),
        ...(request.attach === undefined ? {} : { attach: request.attach }),
        notify_url: request.notifyUrl,
        amount: { total: request.amountFen, currency: 'CNY' },
        payer: { openid: request.payerOpenid },
      });
      return { prepayId: readAnswer(prepaySchema, answer, 'prepay').prepay_id };
    },

    requestPaymentParams(prepayId): RequestPaymentParams {
      const timeStamp = String(Math.floor(clock.now().getTime() / 1_000));
      const nonceStr = randomNonce();
      const pkg = `prepay_id=${prepayId}`;
      return { timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign: signLines([deps.appid, timeStamp, nonceStr, pkg], deps.merchantPrivateKey) };
    },

    async queryPayment(outTradeNo) {
      try {
        return toPayment(readAnswer(transactionSchema, await call('GET', `${tradePath(outTradeNo)}${mchidQuery}`), 'query payment'));
      } catch (error) {
        if (isNotFound(error, 'ORDER_NOT_EXIST')) return undefined;
        throw error;
      }
    },

    async closePayment(outTradeNo) {
      await call('POST', `${tradePath(outTradeNo)}/close`, { mchid: deps.mchid });
    },

    async createRefund(request) {
      const answer = await call('POST', '/v3/refund/domestic/refunds', {
        out_trade_no: request.outTradeNo,
        out_refund_no: request.outRefundNo,
        ...(request.reason === undefined ? {} : { reason: request.reason }),
        ...(request.notifyUrl === undefined ? {} : { notify_url: request.notifyUrl }),
        amount: { refund: request.refundFen, total: request.totalFen, currency: 'CNY' },
      });
      return toRefund(readAnswer(refundSchema, answer, 'create refund'));
    },

    async queryRefund(outRefundNo) {
      try {
        return toRefund(readAnswer(refundSchema, await call('GET', `/v3/refund/domestic/refunds/${encodeURIComponent(outRefundNo)}`), 'query refund'));
      } catch (error) {
        if (isNotFound(error, 'RESOURCE_NOT_EXISTS')) return undefined;
        throw error;
      }
    },
  };
}
