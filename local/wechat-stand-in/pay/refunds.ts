import { json, jsonBody, type StandInRequest, type StandInResponse } from '../http';
import type { StandInContext } from '../options';
import type { Scheduler } from '../scheduler';
import { digits, payError, type PayBook, type StandInRefund, type Trade } from './book';
import type { Notifier } from './notifier';
import { chinaTime } from './time';
import { notifyUrlProblem } from './trades';

const OUT_REFUND_NO = /^[0-9A-Za-z_\-|*@]{1,64}$/;
const RECEIVED_ACCOUNT = '支付用户零钱';

const paramError = (message: string) => payError(400, 'PARAM_ERROR', message);
const paidFen = (trade: Trade) => trade.paidFen ?? trade.amountFen;

function refundJson(refund: StandInRefund, trade: Trade): Record<string, unknown> {
  const total = paidFen(trade);
  return {
    refund_id: refund.refundId,
    out_refund_no: refund.outRefundNo,
    transaction_id: trade.transactionId,
    out_trade_no: trade.outTradeNo,
    channel: 'ORIGINAL',
    user_received_account: RECEIVED_ACCOUNT,
    ...(refund.succeededAt ? { success_time: refund.succeededAt } : {}),
    create_time: refund.createdAt,
    status: refund.status,
    funds_account: 'AVAILABLE',
    amount: { total, refund: refund.amountFen, from: [], payer_total: total, payer_refund: refund.amountFen, settlement_total: total, settlement_refund: refund.amountFen, discount_refund: 0, currency: 'CNY', refund_fee: 0 },
    promotion_detail: [],
  };
}

function refundResource(refund: StandInRefund, trade: Trade): Record<string, unknown> {
  const total = paidFen(trade);
  return {
    mchid: trade.mchid,
    transaction_id: trade.transactionId,
    out_trade_no: trade.outTradeNo,
    refund_id: refund.refundId,
    out_refund_no: refund.outRefundNo,
    refund_status: refund.status,
    success_time: refund.succeededAt,
    user_received_account: RECEIVED_ACCOUNT,
    amount: { total, refund: refund.amountFen, payer_total: total, payer_refund: refund.amountFen },
  };
}

type RefundInput = { trade: Trade; outRefundNo: string; amountFen: number; reason?: string; notifyUrl?: string };

function readRefund(body: Record<string, unknown>, book: PayBook): RefundInput | StandInResponse {
  const { out_refund_no: outRefundNo, out_trade_no: outTradeNo, transaction_id: transactionId, reason, notify_url: notifyUrl } = body;
  const amount = (body.amount ?? {}) as Record<string, unknown>;
  if (typeof outRefundNo !== 'string' || !OUT_REFUND_NO.test(outRefundNo)) return paramError('out_refund_no 需为1-64位数字、字母或_-|*@');
  const trade = [...book.trades.values()].find((candidate) => candidate.outTradeNo === outTradeNo || (transactionId !== undefined && candidate.transactionId === transactionId));
  if (!trade) return payError(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
  if (!Number.isInteger(amount.refund) || (amount.refund as number) < 1) return paramError('amount.refund 必须为正整数（分）');
  if (amount.total !== paidFen(trade)) return paramError('amount.total 与原订单金额不一致');
  if (amount.currency !== 'CNY') return paramError('amount.currency 必须为CNY');
  if (reason !== undefined && (typeof reason !== 'string' || Buffer.byteLength(reason) > 80)) return paramError('reason 超过80字节');
  if (notifyUrl !== undefined && notifyUrlProblem(notifyUrl)) return paramError(notifyUrlProblem(notifyUrl) ?? '');
  return { trade, outRefundNo, amountFen: amount.refund as number, reason: reason as string | undefined, notifyUrl: notifyUrl as string | undefined };
}

/** Refund create (idempotent on out_refund_no) and query; refunds succeed after the configured delay and notify. */
export function refundHandlers(context: StandInContext, book: PayBook, notifier: Notifier, scheduler: Scheduler) {
  function succeed(refund: StandInRefund, trade: Trade): void {
    Object.assign(refund, { status: 'SUCCESS', succeededAt: chinaTime(context.now()) });
    trade.state = 'REFUND';
    context.log({ event: 'pay.refunded', outTradeNo: trade.outTradeNo, outRefundNo: refund.outRefundNo });
    const url = refund.notifyUrl ?? context.settings.refundNotifyUrl;
    if (!url) return;
    const draft = { url, eventType: 'REFUND.SUCCESS', summary: '退款成功', originalType: 'refund' as const, resource: refundResource(refund, trade) };
    notifier.send({ ...draft, outTradeNo: trade.outTradeNo, outRefundNo: refund.outRefundNo });
  }

  function create(request: StandInRequest): StandInResponse {
    context.count('refund.create');
    const body = jsonBody(request);
    if (!body) return paramError('请求体不是合法的JSON');
    const input = readRefund(body, book);
    if ('status' in input) return input;
    const { trade, outRefundNo, amountFen } = input;
    const fingerprint = JSON.stringify([trade.outTradeNo, amountFen, input.reason, input.notifyUrl]);
    const existing = book.refunds.get(outRefundNo);
    if (existing) return existing.fingerprint === fingerprint ? json(200, refundJson(existing, trade)) : payError(400, 'INVALID_REQUEST', '商户退款单号已被使用，请求参数与原退款不一致');
    if (trade.state !== 'SUCCESS' && trade.state !== 'REFUND') return payError(400, 'INVALID_REQUEST', '订单未支付，不能退款');
    const refunded = trade.refunds.reduce((sum, refund) => sum + refund.amountFen, 0);
    if (refunded + amountFen > paidFen(trade)) return payError(400, 'INVALID_REQUEST', '申请退款金额超过订单可退金额');
    const refund: StandInRefund = { refundId: `50${digits(28)}`, outRefundNo, outTradeNo: trade.outTradeNo, amountFen, reason: input.reason, notifyUrl: input.notifyUrl, status: 'PROCESSING', createdAt: chinaTime(context.now()), fingerprint };
    trade.refunds.push(refund);
    book.refunds.set(outRefundNo, refund);
    scheduler.later(context.settings.refundDelayMs, () => succeed(refund, trade));
    return json(200, refundJson(refund, trade));
  }

  function query(request: StandInRequest): StandInResponse {
    context.count('refund.query');
    const refund = book.refunds.get(request.params.outRefundNo ?? '');
    const trade = refund ? book.trades.get(refund.outTradeNo) : undefined;
    return refund && trade ? json(200, refundJson(refund, trade)) : payError(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
  }

  return { create, query };
}
