import type { OrderStatus } from './types';
import { ApiError } from './api';

/** Amounts travel in fen (integers); operators read yuan. */
const yuanFormat = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
export const yuan = (fen: number): string => `¥${yuanFormat.format(fen / 100)}`;

/** "12.50" (yuan, as typed) to 1250 fen; undefined when it is not an amount with at most two decimals. */
export function fenFromYuan(text: string): number | undefined {
  const match = /^\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** The shop runs on China time, whatever the operator's machine is set to. */
export const SHOP_TIME_ZONE = 'Asia/Shanghai';

const dateTime = new Intl.DateTimeFormat('zh-CN', { timeZone: SHOP_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const hourOnly = new Intl.DateTimeFormat('en-GB', { timeZone: SHOP_TIME_ZONE, hour: '2-digit', hourCycle: 'h23' });

export const formatTime = (iso: string | null | undefined): string => (iso ? dateTime.format(new Date(iso)) : '—');
/** The hour an hourly bucket starts, China time: "09:00". */
export const formatHour = (iso: string): string => `${hourOnly.format(new Date(iso))}:00`;

/** A China calendar date (YYYY-MM-DD, as a date input gives it) as the instant its day starts or ends. */
export function chinaDayBound(date: string, end: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  return new Date(`${date}T${end ? '23:59:59.999' : '00:00:00.000'}+08:00`).toISOString();
}

export const statusLabels: Record<OrderStatus, string> = {
  WAIT_PAY: '待支付',
  PAID: '已支付',
  CONFIRMED: '已确认',
  FINISHED: '已完成',
  CANCELLED: '已取消',
  REFUNDING: '退款中',
  REFUNDED: '已退款',
};

export const refundStatusLabels: Record<string, string> = {
  REQUESTED: '已提交',
  PROCESSING: '处理中',
  SUCCESS: '已退回',
  CLOSED: '已关闭（失败）',
  ABNORMAL: '异常（需人工处理）',
};

/** Why the API refused, in the operator's words, with its own code and message for support. */
const reasons: Record<string, string> = {
  UNAUTHORIZED: '管理密钥不正确',
  VALIDATION_FAILED: '输入有误',
  ORDER_NOT_FOUND: '订单不存在',
  ORDER_NOT_CONFIRMABLE: '只有「已支付」的订单可以确认',
  ORDER_NOT_REFUNDABLE: '只有「已支付」或「已确认」的订单可以退款',
  ORDER_NOT_FINISHABLE: '只有「已确认」的订单可以完成',
  STORE_NOT_FOUND: '门店不存在',
  MQ_UNAVAILABLE: '消息队列暂时不可用，请稍后重试',
  DEPENDENCY_UNAVAILABLE: '后端依赖暂时不可用，请稍后重试',
  PAYMENT_GATEWAY_UNAVAILABLE: '微信支付暂时不可用，请稍后重试',
  INTERNAL_ERROR: '服务器内部错误',
  NETWORK: '无法连接到服务器',
};

export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const reason = reasons[error.code] ?? `请求失败（HTTP ${error.status}）`;
    return error.message ? `${reason}：${error.code} — ${error.message}` : `${reason}：${error.code}`;
  }
  return `出错了：${error instanceof Error ? error.message : String(error)}`;
}

/** VALIDATION_FAILED names each field ("name: too short; location.lat: ..."): the message of each, by field. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || error.code !== 'VALIDATION_FAILED') return {};
  const byField: Record<string, string> = {};
  for (const problem of error.message.split('; ')) {
    const at = problem.indexOf(': ');
    if (at > 0) byField[problem.slice(0, at)] = problem.slice(at + 2);
  }
  return byField;
}
