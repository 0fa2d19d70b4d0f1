import { createPublicKey } from 'node:crypto';
import { json, jsonBody, type Route, type StandInRequest, type StandInResponse } from '../http';
import type { StandInContext } from '../options';
import type { Scheduler } from '../scheduler';
import { payError, type PayBook } from './book';
import { createNotifier, NOTIFICATION_FAULTS, type NotificationFault, type Notifier } from './notifier';
import { refundHandlers } from './refunds';
import { checkAuthorization } from './signing';
import { tradeHandlers } from './trades';
import { createWechatpaySigner, SIGNATURE_FAULTS, type SignatureFault, type WechatpaySigner } from './wechatpay-signer';

export type WechatPay = { routes: Route[]; signer: WechatpaySigner; notifier: Notifier };

type Handler = (request: StandInRequest) => StandInResponse;

const isOneOf = <T extends string>(values: readonly T[], value: unknown): value is T => values.includes(value as T);

/**
 * WeChat Pay API v3: every request's `Authorization` is checked (401 SIGN_ERROR otherwise) and every 2xx answer is
 * signed with the stand-in's WeChat Pay key, or spoiled by a fault armed through `/__sandbox/pay-response-faults`.
 */
export function wechatPay(context: StandInContext, scheduler: Scheduler): WechatPay {
  const { settings } = context;
  const caller = { mchid: settings.mchid, serialNo: settings.merchantSerialNo, publicKey: createPublicKey(settings.merchantPublicKeyPem) };
  const signer = createWechatpaySigner(() => context.now());
  const book: PayBook = { trades: new Map(), refunds: new Map() };
  const notifier = createNotifier(context, signer, scheduler);
  const trades = tradeHandlers(context, book, notifier);
  const refunds = refundHandlers(context, book, notifier, scheduler);
  let responseFault: SignatureFault | undefined;

  const signed = (method: Route['method'], path: RegExp, handle: Handler): Route => ({
    method,
    path,
    handle(request) {
      const authorization = request.headers.authorization;
      const verdict = checkAuthorization({ authorization, method: request.method, rawUrl: request.rawUrl, body: request.rawBody, nowSeconds: Math.floor(context.now().getTime() / 1_000) }, caller);
      if (!verdict.ok) {
        context.log({ event: 'pay.sign_error', path: request.url.pathname, reason: verdict.message });
        return payError(401, 'SIGN_ERROR', verdict.message, verdict.detail);
      }
      const response = handle(request);
      if (response.status < 200 || response.status > 299) return response;
      const fault = responseFault;
      responseFault = undefined;
      return { ...response, headers: { ...response.headers, ...signer.headersFor(response.body ?? '', fault) } };
    },
  });

  function armNotificationFaults(request: StandInRequest): StandInResponse {
    const faults = jsonBody(request)?.faults;
    if (!Array.isArray(faults) || !faults.every((fault) => isOneOf(NOTIFICATION_FAULTS, fault))) {
      return json(400, { code: 'VALIDATION_FAILED', message: `faults must be a list of ${NOTIFICATION_FAULTS.join(', ')}` });
    }
    notifier.armFaults(faults as NotificationFault[]);
    return json(200, { armed: faults });
  }

  function armResponseFault(request: StandInRequest): StandInResponse {
    const fault = jsonBody(request)?.fault;
    if (!isOneOf(SIGNATURE_FAULTS, fault)) return json(400, { code: 'VALIDATION_FAILED', message: `fault must be one of ${SIGNATURE_FAULTS.join(', ')}` });
    responseFault = fault;
    return json(200, { armed: fault });
  }

  const outTradeNo = '(?<outTradeNo>[^/]+)';
  return {
    signer,
    notifier,
    routes: [
      signed('POST', /^\/v3\/pay\/transactions\/jsapi$/, trades.prepay),
      signed('GET', new RegExp(`^/v3/pay/transactions/out-trade-no/${outTradeNo}$`), trades.query),
      signed('GET', /^\/v3\/pay\/transactions\/id\/(?<transactionId>[^/]+)$/, trades.query),
      signed('POST', new RegExp(`^/v3/pay/transactions/out-trade-no/${outTradeNo}/close$`), trades.close),
      signed('POST', /^\/v3\/refund\/domestic\/refunds$/, refunds.create),
      signed('GET', /^\/v3\/refund\/domestic\/refunds\/(?<outRefundNo>[^/]+)$/, refunds.query),
      { method: 'POST', path: new RegExp(`^/__sandbox/pay/${outTradeNo}$`), handle: trades.userPays },
      { method: 'GET', path: new RegExp(`^/__sandbox/pay/${outTradeNo}$`), handle: trades.sandboxTrade },
      { method: 'POST', path: /^\/__sandbox\/notification-faults$/, handle: armNotificationFaults },
      { method: 'GET', path: /^\/__sandbox\/notifications$/, handle: () => json(200, { items: notifier.records() }) },
      { method: 'POST', path: /^\/__sandbox\/pay-response-faults$/, handle: armResponseFault },
    ],
  };
}
