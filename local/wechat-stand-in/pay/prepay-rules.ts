import type { StandInResponse } from '../http';
import type { StandInContext } from '../options';
import { payError } from './book';
import { parseTimeExpire } from './time';

const OUT_TRADE_NO = /^[0-9A-Za-z_\-|*]{6,32}$/;
/** The longest time_expire WeChat Pay accepts after the order time (docs/protocols/wechat-apis.md 4.4). */
const MAX_PAY_WINDOW_MS = 90 * 24 * 60 * 60 * 1_000;

type Field = { path: string; value: unknown };

export const field = (body: Record<string, unknown>, path: string): Field => ({
  path,
  value: path.split('.').reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), body),
});

export const paramError = (message: string) => payError(400, 'PARAM_ERROR', message);

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

/** The field checks of a JSAPI prepay, in WeChat Pay's wording; time_expire is judged by `payWindow`. */
export function prepayProblem(body: Record<string, unknown>, context: StandInContext): StandInResponse | undefined {
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
  return undefined;
}

export const fingerprintOf = (body: Record<string, unknown>) =>
  JSON.stringify(['appid', 'mchid', 'description', 'out_trade_no', 'notify_url', 'attach', 'time_expire', 'amount.total', 'payer.openid'].map((path) => field(body, path).value));

/**
 * When a new trade stops being payable. WeChat Pay moves a time_expire earlier than the order time plus a minute to
 * that minute rather than refusing it (reports; `minPayWindowSeconds`), so a short pay timeout on our side leaves the
 * user up to a minute to pay after our deadline. With `minPayWindowSeconds: 0` a future value is honoured exactly.
 */
export function payWindow(timeExpire: unknown, nowMs: number, minPayWindowSeconds: number): { expiresAtMs?: number } | { problem: string } {
  if (timeExpire === undefined) return {};
  const requested = parseTimeExpire(timeExpire)?.getTime();
  if (requested === undefined) return { problem: 'time_expire 需为RFC3339格式，例如2025-05-20T13:29:35+08:00' };
  if (requested > nowMs + MAX_PAY_WINDOW_MS) return { problem: 'time_expire 不能晚于下单时间后90天' };
  if (minPayWindowSeconds === 0 && requested <= nowMs) return { problem: 'time_expire 已过期' };
  return { expiresAtMs: Math.max(requested, nowMs + minPayWindowSeconds * 1_000) };
}
