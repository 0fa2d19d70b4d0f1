import * as z from 'zod';
import { controlBody, json, type StandInRequest, type StandInResponse } from '../http';
import { digits, type Trade } from './book';
import type { Notifier } from './notifier';
import { chinaTime } from './time';
import { isExpired, tradeView, visibleState, type PayParts } from './trades';

const payBody = z.strictObject({
  /** What the TRANSACTION.SUCCESS notification claims as total and payer_total; the trade keeps the order amount. */
  amountFen: z.number().int().positive().optional(),
  /** What the user paid, at most the order amount: WeChat Pay granted the difference as a discount. */
  payerTotalFen: z.number().int().positive().optional(),
  /** Pay a closed or expired trade: a payment started before the close or the deadline that completes after it. */
  force: z.boolean().optional(),
});

const elapseBody = z.strictObject({ seconds: z.number().int().positive() });

const notFound = () => json(404, { code: 'ORDER_NOT_EXIST', message: 'no prepaid trade with that out_trade_no' });

/** The sandbox's side of a trade: the user pays, a test reads it, or time passes for it alone. */
export function sandboxTrades(parts: PayParts, notifier: Notifier) {
  const { context, book } = parts;

  const view = (trade: Trade) =>
    json(200, {
      tradeState: visibleState(parts, trade),
      amountFen: trade.amountFen,
      payerTotalFen: trade.payerTotalFen,
      transactionId: trade.transactionId,
      timeExpire: trade.expiresAtMs === undefined ? undefined : chinaTime(new Date(trade.expiresAtMs)),
      refunds: trade.refunds.map(({ outRefundNo, amountFen, status }) => ({ outRefundNo, amountFen, status })),
    });

  function refusal(trade: Trade, force: boolean | undefined): StandInResponse | undefined {
    if (trade.state === 'SUCCESS' || trade.state === 'REFUND') return json(409, { code: 'ALREADY_PAID', message: 'the trade is paid already' });
    if (force) return undefined;
    if (trade.state === 'CLOSED') return json(409, { code: 'TRADE_CLOSED', message: 'the trade is closed; pass force: true to simulate a payment that raced the close' });
    if (isExpired(trade, context.now().getTime())) return json(409, { code: 'TRADE_EXPIRED', message: 'time_expire has passed; pass force: true to pay anyway' });
    return undefined;
  }

  function userPays(request: StandInRequest): StandInResponse {
    const trade = book.trades.get(request.params.outTradeNo ?? '');
    if (!trade) return notFound();
    const body = controlBody(payBody, request);
    if (!body.ok) return body.response;
    const { amountFen, payerTotalFen = trade.amountFen, force } = body.value;
    if (payerTotalFen > trade.amountFen) return json(400, { code: 'VALIDATION_FAILED', message: 'payerTotalFen cannot exceed the order amount' });
    const refused = refusal(trade, force);
    if (refused) return refused;
    Object.assign(trade, { state: 'SUCCESS', payerTotalFen, transactionId: `4200${digits(24)}`, successTime: chinaTime(context.now()) });
    const resource = tradeView(parts, trade);
    const claimed = amountFen === undefined ? resource : { ...resource, amount: { ...(resource.amount as object), total: amountFen, payer_total: amountFen } };
    notifier.send({ url: trade.notifyUrl, eventType: 'TRANSACTION.SUCCESS', summary: '支付成功', originalType: 'transaction', resource: claimed, outTradeNo: trade.outTradeNo });
    return view(trade);
  }

  function read(request: StandInRequest): StandInResponse {
    const trade = book.trades.get(request.params.outTradeNo ?? '');
    return trade ? view(trade) : notFound();
  }

  /** Moves the trade's instants back, as if `seconds` had passed for it alone: its deadline, prepay_id age, refund spacing. */
  function elapse(request: StandInRequest): StandInResponse {
    const trade = book.trades.get(request.params.outTradeNo ?? '');
    if (!trade) return notFound();
    const body = controlBody(elapseBody, request);
    if (!body.ok) return body.response;
    const ms = body.value.seconds * 1_000;
    trade.prepayIssuedAtMs -= ms;
    if (trade.expiresAtMs !== undefined) trade.expiresAtMs -= ms;
    for (const refund of trade.refunds) refund.createdAtMs -= ms;
    return view(trade);
  }

  return { userPays, read, elapse };
}
