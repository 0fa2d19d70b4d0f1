import type { OrderLine } from '../ordering/order';

/** A `thing` value holds at most 20 characters (WeChat counts code points); longer ones are refused with 47003. */
export const THING_MAX = 20;

/** China Standard Time is UTC+8 all year (no daylight saving since 1991), so a fixed offset is exact. */
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** An amount in fen as an `amount` value: `¥12.50`. */
export function yuan(fen: number): string {
  const whole = Math.floor(fen / 100);
  return `¥${whole}.${String(fen - whole * 100).padStart(2, '0')}`;
}

/** An ISO instant as a `time` value in China time, which the user reads it in: `2026-11-30 16:05`. */
export function chinaTime(iso: string): string {
  const shifted = new Date(Date.parse(iso) + CHINA_OFFSET_MS).toISOString();
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 16)}`;
}

function clip(text: string, limit: number): string {
  const chars = Array.from(text);
  return chars.length <= limit ? text : `${chars.slice(0, limit - 1).join('')}…`;
}

/**
 * What was ordered, as a `thing` value: the only line's name, or the first line's name and the number of items
 * (`拿铁等3件`). The name is shortened rather than the count, so that the count always shows.
 */
export function goodsSummary(items: readonly OrderLine[]): string {
  const [first] = items;
  if (!first) return '订单商品';
  const count = items.reduce((sum, line) => sum + line.quantity, 0);
  if (items.length === 1 && count === 1) return clip(first.name, THING_MAX);
  const suffix = `等${count}件`;
  return `${clip(first.name, THING_MAX - suffix.length)}${suffix}`;
}
