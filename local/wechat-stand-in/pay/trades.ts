import { randomBytes } from 'node:crypto';
import { json, jsonBody, type StandInRequest, type StandInResponse } from '../http';
import type { StandInContext } from '../options';
import { digits, payError, transactionJson, type PayBook, type Trade } from './book';
import type { Notifier } from './notifier';
import { chinaTime, parseTimeExpire } from './time';

/** How long WeChat keeps handing out the same prepay_id for a retried prepay. */
const PREPAY_ID_LIFETIME_MS = 2 * 60 * 60 * 1_000;
const OUT_TRADE_NO = /^[0-9A-Za-z_\-|*]{6,32}$/;

type Field = { path: string; value: unknown };

const field = (body: Record<string, unknown>, path: string): Field => ({
  path,
  value: path.split('.').reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), body),
});

const paramError = (message: string) => payError(400, 'PARAM_ERROR', message);

/** `http(s)`, at most 255 characters, no query string, as WeChat Pay requires of notify_url. */
export function notifyUrlProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 255) return 'notify_url 缺失或超过255个字符';
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'notify_url 必须是http(s)地址';
    if (url.search || url.hash || value.includes('?')) return 'notify_url 不能携带参数';
  } catch {
    return 'notify_url 格式错误';
  }
  return undefined;
}

function prepayProblem(body: Record<string, unknown>, context: StandInContext): StandInResponse | undefined {
  const { settings } = context;
  const required = ['appid', 'mchid', 'description', 'out_trade_no', 'notify_url', 'amount.total', 'payer.openid'].map((path) => field(body, path));
  const missing = required.find(({ value }) => value === undefined || value === '');
  if (missing) return paramError(`输入源"/body/${missing.path.replace('.', '/')}"映射到值字段"${missing.path}"必填性规则校验失败`);
  if (body.mchid !== settings.mchid) return paramError('mchid与发起调用的商户号不一致');
  if (body.appid !== settings.appid) return payError(400, 'APPID_MCHID_NOT_MATCH', 'appid和mch_id不匹配');
  if (typeof body.description !== 'string' || [...body.description].length > 127) return paramError('description 长度超过127');
  if (typeof body.out_trade_no !== 'string' || !OUT_TRADE_NO.test(body.out_trade_no)) return paramError('out_trade_no 需为6-32位数字、字母或_-|*');
  const notifyProblem = notifyUrlProblem(body.notify_url);
  if (notifyProblem) return paramError(notifyProblem);
  const total = field(body, 'amount.total').value;
  if (!Number.isInteger(total) || (total as number) < 1) return paramError('amount.total 必须为正整数（分）');
  const currency = field(body, 'amount.currency').value;
  if (currency !== undefined && currency !== 'CNY') return paramError('amount.currency 仅支持CNY');
  if (!context.knownOpenids.has(String(field(body, 'payer.openid').value))) return paramError('appid和openid不匹配');
  if (body.attach !== undefined && (typeof body.attach !== 'string' || body.attach.length > 128)) return paramError('attach 长度超过128');
  if (body.time_expire !== undefined) {
    const expiresAt = parseTimeExpire(body.time_expire);
    if (!expiresAt) return paramError('time_expire 需为RFC3339格式，例如2025-05-20T13:29:35+08:00');
    if (expiresAt.getTime() <= context.now().getTime()) return paramError('time_expire 已过期');
  }
  return undefined;
}

const fingerprintOf = (body: Record<string, unknown>) =>
  JSON.stringify(['appid', 'mchid', 'description', 'out_trade_no', 'notify_url', 'attach', 'time_expire', 'amount.total', 'payer.openid'].map((path) => field(body, path).value));

function prepayId(now: Date): string {
  return `wx${chinaTime(now).replace(/\D/g, '').slice(0, 14)}${randomBytes(10).toString('hex')}`;
}

/** JSAPI prepay, query, close, and the sandbox's "the user pays" action. */
export function tradeHandlers(context: StandInContext, book: PayBook, notifier: Notifier) {
  const nowMs = () => context.now().getTime();

  function reopen(trade: Trade): StandInResponse {
    if (trade.state === 'SUCCESS' || trade.state === 'REFUND') return payError(400, 'ORDERPAID', '该订单已支付');
    if (trade.state === 'CLOSED') return payError(400, 'ORDER_CLOSED', '该订单已关闭');
    if (nowMs() - trade.prepayIssuedAtMs >= PREPAY_ID_LIFETIME_MS) {
      trade.prepayId = prepayId(context.now());
      trade.prepayIssuedAtMs = nowMs();
    }
    return json(200, { prepay_id: trade.prepayId });
  }

  function prepay(request: StandInRequest): StandInResponse {
    context.count('pay.prepay');
    const body = jsonBody(request);
    if (!body) return paramError('请求体不是合法的JSON');
    const problem = prepayProblem(body, context);
    if (problem) return problem;
    const outTradeNo = body.out_trade_no as string;
    const existing = book.trades.get(outTradeNo);
    if (existing) return existing.fingerprint === fingerprintOf(body) ? reopen(existing) : payError(403, 'OUT_TRADE_NO_USED', '商户订单号重复');
    const trade: Trade = {
      appid: body.appid as string,
      mchid: body.mchid as string,
      outTradeNo,
      description: body.description as string,
      amountFen: field(body, 'amount.total').value as number,
      payerOpenid: field(body, 'payer.openid').value as string,
      notifyUrl: body.notify_url as string,
      ...(typeof body.attach === 'string' ? { attach: body.attach } : {}),
      ...(body.time_expire === undefined ? {} : { expiresAtMs: parseTimeExpire(body.time_expire)?.getTime() }),
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

  function query(request: StandInRequest): StandInResponse {
    context.count('pay.query');
    if (request.url.searchParams.get('mchid') !== context.settings.mchid) return paramError('mchid 缺失或与商户号不一致');
    const { outTradeNo, transactionId } = request.params;
    const trade = outTradeNo !== undefined ? book.trades.get(outTradeNo) : [...book.trades.values()].find((candidate) => candidate.transactionId === transactionId);
    return trade ? json(200, transactionJson(trade)) : payError(404, 'ORDER_NOT_EXIST', '订单不存在');
  }

  function close(request: StandInRequest): StandInResponse {
    context.count('pay.close');
    if (jsonBody(request)?.mchid !== context.settings.mchid) return paramError('mchid 缺失或与商户号不一致');
    const trade = book.trades.get(request.params.outTradeNo ?? '');
    if (!trade) return payError(404, 'ORDER_NOT_EXIST', '订单不存在');
    if (trade.state === 'SUCCESS' || trade.state === 'REFUND') return payError(400, 'ORDERPAID', '该订单已支付');
    trade.state = 'CLOSED';
    context.log({ event: 'pay.closed', outTradeNo: trade.outTradeNo });
    return { status: 204 };
  }

  const sandboxView = (trade: Trade) =>
    json(200, {
      tradeState: trade.state,
      amountFen: trade.paidFen ?? trade.amountFen,
      transactionId: trade.transactionId,
      refunds: trade.refunds.map(({ outRefundNo, amountFen, status }) => ({ outRefundNo, amountFen, status })),
    });

  function userPays(request: StandInRequest): StandInResponse {
    const trade = book.trades.get(request.params.outTradeNo ?? '');
    if (!trade) return json(404, { code: 'ORDER_NOT_EXIST', message: 'no prepaid trade with that out_trade_no' });
    const { amountFen, force } = jsonBody(request) ?? {};
    if (amountFen !== undefined && (!Number.isInteger(amountFen) || (amountFen as number) < 1)) return json(400, { code: 'VALIDATION_FAILED', message: 'amountFen must be a positive integer' });
    if (trade.state === 'SUCCESS' || trade.state === 'REFUND') return json(409, { code: 'ALREADY_PAID', message: 'the trade is paid already' });
    if (trade.state === 'CLOSED' && force !== true) return json(409, { code: 'TRADE_CLOSED', message: 'the trade is closed; pass force: true to simulate a payment that raced the close' });
    if (trade.expiresAtMs !== undefined && trade.expiresAtMs <= nowMs() && force !== true) return json(409, { code: 'TRADE_EXPIRED', message: 'time_expire has passed; pass force: true to pay anyway' });
    Object.assign(trade, { state: 'SUCCESS', paidFen: (amountFen as number | undefined) ?? trade.amountFen, transactionId: `4200${digits(24)}`, successTime: chinaTime(context.now()) });
    notifier.send({ url: trade.notifyUrl, eventType: 'TRANSACTION.SUCCESS', summary: '支付成功', originalType: 'transaction', resource: transactionJson(trade), outTradeNo: trade.outTradeNo });
    return sandboxView(trade);
  }

  function sandboxTrade(request: StandInRequest): StandInResponse {
    const trade = book.trades.get(request.params.outTradeNo ?? '');
    return trade ? sandboxView(trade) : json(404, { code: 'ORDER_NOT_EXIST', message: 'no prepaid trade with that out_trade_no' });
  }

  return { prepay, query, close, userPays, sandboxTrade };
}
