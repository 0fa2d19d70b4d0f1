import { json, jsonBody, type StandInRequest, type StandInResponse } from '../http';
import type { Scheduler } from '../scheduler';
import type { Armory } from './armory';
import { digits, payError, tradeByTransactionId, type PayBook, type RefundStatus, type StandInRefund, type Trade } from './book';
import type { Notifier } from './notifier';
import { notifyUrlProblem, paramError } from './prepay-rules';
import { refundJson, refundResource } from './refund-json';
import { chinaTime } from './time';
import type { PayParts } from './trades';

const OUT_REFUND_NO = /^[0-9A-Za-z_\-|*@]{1,64}$/;
/** docs/protocols/wechat-apis.md 4.8: up to 50 partial refunds per order. */
const MAX_REFUNDS_PER_TRADE = 50;
const SUMMARIES = { SUCCESS: '退款成功', CLOSED: '退款关闭', ABNORMAL: '退款异常' } as const;

export type FinalOrAbnormal = keyof typeof SUMMARIES;
export type RefundParts = PayParts & { notifier: Notifier; scheduler: Scheduler; outcomes: Armory<RefundStatus> };

type RefundInput = { trade: Trade; outRefundNo: string; amountFen: number; reason?: string; notifyUrl?: string };

function readRefund(body: Record<string, unknown>, book: PayBook): RefundInput | StandInResponse {
  const { out_refund_no: outRefundNo, out_trade_no: outTradeNo, transaction_id: transactionId, reason, notify_url: notifyUrl } = body;
  const amount = (body.amount ?? {}) as Record<string, unknown>;
  if (typeof outRefundNo !== 'string' || !OUT_REFUND_NO.test(outRefundNo)) return paramError('out_refund_no 需为1-64位数字、字母或_-|*@');
  const trade = (typeof outTradeNo === 'string' ? book.trades.get(outTradeNo) : undefined) ?? tradeByTransactionId(book, transactionId);
  if (!trade) return payError(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
  if (!Number.isInteger(amount.refund) || (amount.refund as number) < 1) return paramError('amount.refund 必须为正整数（分）');
  if (amount.total !== trade.amountFen) return paramError('amount.total 与原订单金额不一致');
  if (amount.currency !== 'CNY') return paramError('amount.currency 必须为CNY');
  if (reason !== undefined && (typeof reason !== 'string' || Buffer.byteLength(reason) > 80)) return paramError('reason 超过80字节');
  if (notifyUrl !== undefined && notifyUrlProblem(notifyUrl)) return paramError(notifyUrlProblem(notifyUrl) ?? '');
  return { trade, outRefundNo, amountFen: amount.refund as number, reason: reason as string | undefined, notifyUrl: notifyUrl as string | undefined };
}

/** WeChat Pay's rules for a new refund of a trade, in the order the stand-in applies them. */
function refusal(parts: RefundParts, { trade, amountFen }: RefundInput): StandInResponse | undefined {
  if (trade.state !== 'SUCCESS' && trade.state !== 'REFUND') return payError(400, 'INVALID_REQUEST', '订单未支付，不能退款');
  const committed = trade.refunds.filter((refund) => refund.status !== 'CLOSED').reduce((sum, refund) => sum + refund.amountFen, 0);
  if (committed + amountFen > trade.amountFen) return payError(400, 'INVALID_REQUEST', '申请退款金额超过订单可退金额');
  if (trade.refunds.length >= MAX_REFUNDS_PER_TRADE) return payError(400, 'INVALID_REQUEST', '该订单退款次数已超过50次，不能再退款');
  const intervalMs = parts.quirks.of(trade.outTradeNo).refundIntervalSeconds * 1_000;
  const lastMs = Math.max(-Infinity, ...trade.refunds.map((refund) => refund.createdAtMs));
  if (parts.context.now().getTime() - lastMs < intervalMs) return payError(429, 'FREQUENCY_LIMITED', '单笔订单请求频率过高，请于1分钟后重试');
  return undefined;
}

/**
 * Refund create (idempotent on out_refund_no) and query. A refund turns from PROCESSING into its outcome after
 * `refundDelayMs` (SUCCESS unless a refund outcome was armed) and notifies REFUND.SUCCESS / CLOSED / ABNORMAL.
 */
export function refundHandlers(parts: RefundParts) {
  const { context, book, notifier, scheduler, outcomes } = parts;

  function settle(refund: StandInRefund, status: FinalOrAbnormal): void {
    const trade = book.trades.get(refund.outTradeNo) as Trade;
    refund.status = status;
    if (status === 'SUCCESS') {
      refund.succeededAt = chinaTime(context.now());
      trade.state = 'REFUND';
    }
    context.log({ event: 'pay.refund_settled', outTradeNo: trade.outTradeNo, outRefundNo: refund.outRefundNo, status });
    const url = refund.notifyUrl ?? context.settings.refundNotifyUrl;
    if (!url) return;
    const draft = { url, eventType: `REFUND.${status}`, summary: SUMMARIES[status], originalType: 'refund' as const, resource: refundResource(refund, trade) };
    notifier.send({ ...draft, outTradeNo: trade.outTradeNo, outRefundNo: refund.outRefundNo });
  }

  function open(input: RefundInput, fingerprint: string): StandInResponse {
    const { trade, outRefundNo, amountFen } = input;
    const outcome = outcomes.take({ outTradeNo: trade.outTradeNo, outRefundNo })[0] ?? 'SUCCESS';
    const now = context.now();
    const refund: StandInRefund = { refundId: `50${digits(28)}`, outRefundNo, outTradeNo: trade.outTradeNo, amountFen, reason: input.reason, notifyUrl: input.notifyUrl, status: 'PROCESSING', outcome, createdAt: chinaTime(now), createdAtMs: now.getTime(), fingerprint };
    trade.refunds.push(refund);
    book.refunds.set(outRefundNo, refund);
    if (outcome !== 'PROCESSING') scheduler.later(context.settings.refundDelayMs, () => refund.status === 'PROCESSING' && settle(refund, outcome));
    return json(200, refundJson(refund, trade));
  }

  function create(request: StandInRequest): StandInResponse {
    const body = jsonBody(request);
    if (!body) return paramError('请求体不是合法的JSON');
    const input = readRefund(body, book);
    if ('status' in input) return input;
    const fingerprint = JSON.stringify([input.trade.outTradeNo, input.amountFen, input.trade.amountFen]);
    const existing = book.refunds.get(input.outRefundNo);
    if (existing) {
      // Reported wording; a retry with the same number and amounts is answered with the refund as it stands.
      return existing.fingerprint === fingerprint ? json(200, refundJson(existing, input.trade)) : payError(400, 'INVALID_REQUEST', '订单金额或退款金额与之前请求不一致，请核实后再试');
    }
    return refusal(parts, input) ?? open(input, fingerprint);
  }

  function query(request: StandInRequest): StandInResponse {
    const refund = book.refunds.get(request.params.outRefundNo ?? '');
    const trade = refund ? book.trades.get(refund.outTradeNo) : undefined;
    return refund && trade ? json(200, refundJson(refund, trade)) : payError(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
  }

  /** The sandbox's "WeChat Pay decides now": PROCESSING or ABNORMAL refunds move on; SUCCESS and CLOSED are final. */
  function settleNow(outRefundNo: string, status: FinalOrAbnormal): StandInResponse {
    const refund = book.refunds.get(outRefundNo);
    if (!refund) return json(404, { code: 'RESOURCE_NOT_EXISTS', message: 'no refund with that out_refund_no' });
    if (refund.status === 'SUCCESS' || refund.status === 'CLOSED' || refund.status === status) {
      return json(409, { code: 'REFUND_SETTLED', message: `the refund is ${refund.status} already` });
    }
    settle(refund, status);
    return json(200, { outRefundNo, refundStatus: refund.status });
  }

  return { create, query, settleNow };
}
