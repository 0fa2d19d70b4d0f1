import { createPublicKey } from 'node:crypto';
import { jsonBody, type Route, type StandInRequest, type StandInResponse } from '../http';
import type { StandInContext } from '../options';
import type { Scheduler } from '../scheduler';
import { createArmory, type Subject } from './armory';
import { payError, tradeByTransactionId, type PayBook, type RefundStatus } from './book';
import { payControlRoutes } from './control-routes';
import { answerUnderFault, type ArmedPayFault, type PayOperation } from './faults';
import { createNotifier, type Notifier } from './notifier';
import { createQuirkBook } from './quirks';
import { refundHandlers } from './refunds';
import { sandboxTrades } from './sandbox-trades';
import { checkAuthorization } from './signing';
import { tradeHandlers } from './trades';
import { createWechatpaySigner, type SignatureFault, type WechatpaySigner } from './wechatpay-signer';

export type WechatPay = { routes: Route[]; signer: WechatpaySigner; notifier: Notifier };

type Handler = (request: StandInRequest) => StandInResponse;
/** Which trade and refund a call concerns, known before it runs, so that scoped faults can find it. */
type SubjectOf = (request: StandInRequest) => Subject;

const textOf = (value: unknown) => (typeof value === 'string' ? value : undefined);

/**
 * WeChat Pay API v3: every request's `Authorization` is checked (401 SIGN_ERROR otherwise), then a fault armed for
 * the call (`/__sandbox/pay-faults`) may replace or spoil its answer; every 2xx answer is signed with the stand-in's
 * WeChat Pay key.
 */
export function wechatPay(context: StandInContext, scheduler: Scheduler): WechatPay {
  const { settings } = context;
  const caller = { mchid: settings.mchid, serialNo: settings.merchantSerialNo, publicKey: createPublicKey(settings.merchantPublicKeyPem) };
  const signer = createWechatpaySigner(() => context.now());
  const book: PayBook = { trades: new Map(), refunds: new Map() };
  const quirks = createQuirkBook(settings.payQuirks);
  const notifier = createNotifier(context, signer, scheduler);
  const payFaults = createArmory<ArmedPayFault>();
  const refundOutcomes = createArmory<RefundStatus>();
  const parts = { context, book, quirks };
  const trades = tradeHandlers(parts);
  const refunds = refundHandlers({ ...parts, notifier, scheduler, outcomes: refundOutcomes });

  const sign = (response: StandInResponse, spoil?: SignatureFault): StandInResponse =>
    response.status < 200 || response.status > 299 ? response : { ...response, headers: { ...response.headers, ...signer.headersFor(response.body ?? '', spoil) } };

  const api = (operation: PayOperation, method: Route['method'], path: RegExp, handle: Handler, subjectOf: SubjectOf): Route => ({
    method,
    path,
    handle(request) {
      const verdict = checkAuthorization({ authorization: request.headers.authorization, method: request.method, rawUrl: request.rawUrl, body: request.rawBody, nowSeconds: Math.floor(context.now().getTime() / 1_000) }, caller);
      if (!verdict.ok) {
        context.log({ event: 'pay.sign_error', path: request.url.pathname, reason: verdict.message });
        return payError(401, 'SIGN_ERROR', verdict.message, verdict.detail);
      }
      context.count(operation);
      const [armed] = payFaults.take({ operation, ...subjectOf(request) });
      if (!armed) return sign(handle(request));
      context.log({ event: 'pay.fault', operation, fault: armed.fault, applied: armed.applied });
      return answerUnderFault(armed, () => handle(request), sign);
    },
  });

  const tradeOf = (request: StandInRequest) => request.params.outTradeNo ?? tradeByTransactionId(book, request.params.transactionId)?.outTradeNo;
  const refundSubject: SubjectOf = (request) => {
    const body = jsonBody(request) ?? {};
    return { outTradeNo: textOf(body.out_trade_no) ?? tradeByTransactionId(book, body.transaction_id)?.outTradeNo, outRefundNo: textOf(body.out_refund_no) };
  };
  const refundQuerySubject: SubjectOf = (request) => ({ outRefundNo: request.params.outRefundNo, outTradeNo: book.refunds.get(request.params.outRefundNo ?? '')?.outTradeNo });

  const outTradeNo = '(?<outTradeNo>[^/]+)';
  return {
    signer,
    notifier,
    routes: [
      api('pay.prepay', 'POST', /^\/v3\/pay\/transactions\/jsapi$/, trades.prepay, (request) => ({ outTradeNo: textOf(jsonBody(request)?.out_trade_no) })),
      api('pay.query', 'GET', new RegExp(`^/v3/pay/transactions/out-trade-no/${outTradeNo}$`), trades.query, (request) => ({ outTradeNo: tradeOf(request) })),
      api('pay.query', 'GET', /^\/v3\/pay\/transactions\/id\/(?<transactionId>[^/]+)$/, trades.query, (request) => ({ outTradeNo: tradeOf(request) })),
      api('pay.close', 'POST', new RegExp(`^/v3/pay/transactions/out-trade-no/${outTradeNo}/close$`), trades.close, (request) => ({ outTradeNo: tradeOf(request) })),
      api('refund.create', 'POST', /^\/v3\/refund\/domestic\/refunds$/, refunds.create, refundSubject),
      api('refund.query', 'GET', /^\/v3\/refund\/domestic\/refunds\/(?<outRefundNo>[^/]+)$/, refunds.query, refundQuerySubject),
      ...payControlRoutes({ payFaults, refundOutcomes, quirks, notifier, refunds, trades: sandboxTrades(parts, notifier) }),
    ],
  };
}
