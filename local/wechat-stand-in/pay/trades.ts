import { randomBytes } from 'node:crypto';
import { json, jsonBody, type StandInRequest, type StandInResponse } from '../http';
import type { StandInContext } from '../options';
import { payError, tradeByTransactionId, transactionJson, type PayBook, type Trade, type TradeState } from './book';
import { field, fingerprintOf, paramError, payWindow, prepayProblem } from './prepay-rules';
import type { QuirkBook } from './quirks';
import { chinaTime } from './time';

/** How long WeChat keeps handing out the same prepay_id for a retried prepay. */
const PREPAY_ID_LIFETIME_MS = 2 * 60 * 60 * 1_000;

/** What the trade handlers and the sandbox share. */
export type PayParts = { context: StandInContext; book: PayBook; quirks: QuirkBook };

export const isExpired = (trade: Trade, nowMs: number) => trade.expiresAtMs !== undefined && trade.expiresAtMs <= nowMs;

/** The state WeChat Pay reports: an unpaid trade past its time_expire shows as the quirk says (CLOSED by default). */
export function visibleState(parts: PayParts, trade: Trade): TradeState {
  const expired = trade.state === 'NOTPAY' && isExpired(trade, parts.context.now().getTime());
  return expired ? parts.quirks.of(trade.outTradeNo).expiredTradeState : trade.state;
}

export const tradeView = (parts: PayParts, trade: Trade) =>
  transactionJson({ ...trade, state: visibleState(parts, trade) }, parts.quirks.of(trade.outTradeNo).attachBeforePaid);

function prepayId(now: Date): string {
  return `wx${chinaTime(now).replace(/\D/g, '').slice(0, 14)}${randomBytes(10).toString('hex')}`;
}

/** JSAPI prepay, query and close. */
export function tradeHandlers(parts: PayParts) {
  const { context, book, quirks } = parts;
  const nowMs = () => context.now().getTime();

  function reopen(trade: Trade): StandInResponse {
    if (trade.state === 'SUCCESS' || trade.state === 'REFUND') return payError(400, 'ORDERPAID', '该订单已支付');
    // Past its time_expire a trade cannot be prepaid again, whatever its query shows.
    if (trade.state === 'CLOSED' || isExpired(trade, nowMs())) return payError(400, 'ORDER_CLOSED', '该订单已关闭');
    if (nowMs() - trade.prepayIssuedAtMs >= PREPAY_ID_LIFETIME_MS) {
      trade.prepayId = prepayId(context.now());
      trade.prepayIssuedAtMs = nowMs();
    }
    return json(200, { prepay_id: trade.prepayId });
  }

  function open(body: Record<string, unknown>): StandInResponse {
    const outTradeNo = body.out_trade_no as string;
    const window = payWindow(body.time_expire, nowMs(), quirks.of(outTradeNo).minPayWindowSeconds);
    if ('problem' in window) return paramError(window.problem);
    const trade: Trade = {
      appid: body.appid as string,
      mchid: body.mchid as string,
      outTradeNo,
      description: body.description as string,
      amountFen: field(body, 'amount.total').value as number,
      payerOpenid: field(body, 'payer.openid').value as string,
      notifyUrl: body.notify_url as string,
      ...(typeof body.attach === 'string' ? { attach: body.attach } : {}),
      ...window,
      fingerprint: fingerprintOf(body),
      prepayId: prepayId(context.now()),
      prepayIssuedAtMs: nowMs(),
      state: 'NOTPAY',
      refunds: [],
    };
    book.trades.set(outTradeNo, trade);
    context.log({ event: 'pay.prepay', outTradeNo, amountFen: trade.amountFen });
    return json(200, { prepay_id: trade.prepayId });
  }

  function prepay(request: StandInRequest): StandInResponse {
    const body = jsonBody(request);
    if (!body) return paramError('请求体不是合法的JSON');
    const problem = prepayProblem(body, context);
    if (problem) return problem;
    const existing = book.trades.get(body.out_trade_no as string);
    if (!existing) return open(body);
    return existing.fingerprint === fingerprintOf(body) ? reopen(existing) : payError(403, 'OUT_TRADE_NO_USED', '商户订单号重复');
  }

  function query(request: StandInRequest): StandInResponse {
    if (request.url.searchParams.get('mchid') !== context.settings.mchid) return paramError('mchid 缺失或与商户号不一致');
    const { outTradeNo, transactionId } = request.params;
    const trade = outTradeNo !== undefined ? book.trades.get(outTradeNo) : tradeByTransactionId(book, transactionId);
    return trade ? json(200, tradeView(parts, trade)) : payError(404, 'ORDER_NOT_EXIST', '订单不存在');
  }

  function close(request: StandInRequest): StandInResponse {
    if (jsonBody(request)?.mchid !== context.settings.mchid) return paramError('mchid 缺失或与商户号不一致');
    const outTradeNo = request.params.outTradeNo ?? '';
    const trade = book.trades.get(outTradeNo);
    if (!trade) return quirks.of(outTradeNo).closeUnknownTrade === 'NO_CONTENT' ? { status: 204 } : payError(404, 'ORDER_NOT_EXIST', '订单不存在');
    if (trade.state === 'SUCCESS' || trade.state === 'REFUND') return payError(400, 'ORDERPAID', '该订单已支付');
    trade.state = 'CLOSED';
    context.log({ event: 'pay.closed', outTradeNo });
    return { status: 204 };
  }

  return { prepay, query, close };
}
