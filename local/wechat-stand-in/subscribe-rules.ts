import type { SubscribeValueType } from './templates';

const length = (value: string) => [...value].length;
const digitCount = (value: string) => value.replace(/\D/g, '').length;
const HAN = /^\p{Script=Han}+$/u;

const hhmm = String.raw`([01]?\d|2[0-3]):[0-5]\d(:[0-5]\d)?`;
const ymd = String.raw`(\d{4}年\d{1,2}月\d{1,2}日|\d{4}[-/]\d{1,2}[-/]\d{1,2})`;
const timeValue = new RegExp(String.raw`^(${ymd} ?)?${hhmm}$`);
const dateValue = new RegExp(String.raw`^${ymd}( ?${hhmm})?$`);
const eachOfRange = (value: string, pattern: RegExp) => {
  const parts = value.split('~').map((part) => part.trim());
  return parts.length <= 2 && parts.every((part) => pattern.test(part));
};

/**
 * The stand-in's own reading of WeChat's value limits (docs/protocols/wechat-apis.md section 3), written apart from the adapter's
 * truncation so that a shared misunderstanding does not go unnoticed.
 */
const accepts: Record<SubscribeValueType, (value: string) => boolean> = {
  thing: (value) => length(value) <= 20,
  number: (value) => /^[-+]?\d+(\.\d+)?$/.test(value) && digitCount(value) <= 32,
  letter: (value) => /^[A-Za-z]{1,32}$/.test(value),
  symbol: (value) => length(value) <= 5 && !/[\p{L}\p{N}\s]/u.test(value),
  character_string: (value) => /^[!-~]{1,32}$/.test(value),
  time: (value) => eachOfRange(value, timeValue),
  date: (value) => eachOfRange(value, dateValue),
  amount: (value) => /^[¥￥$]?\d{1,10}(\.\d+)?元?$/.test(value),
  phone_number: (value) => /^[0-9+\-() ]{1,17}$/.test(value),
  car_number: (value) => length(value) <= 8 && /^[\p{Script=Han}A-Z0-9a-z]+$/u.test(value),
  name: (value) => (/^[ -~]+$/.test(value) ? length(value) <= 20 : length(value) <= 10),
  phrase: (value) => length(value) <= 5 && HAN.test(value),
};

/** The first template key whose value is missing or breaks its type's limit, as WeChat's 47003 names it. */
export function firstInvalidKey(keys: Readonly<Record<string, SubscribeValueType>>, data: unknown): string | undefined {
  const values = (data !== null && typeof data === 'object' ? data : {}) as Record<string, { value?: unknown } | undefined>;
  for (const [key, type] of Object.entries(keys)) {
    const value = values[key]?.value;
    if (typeof value !== 'string' || value === '' || !accepts[type](value)) return key;
  }
  return undefined;
}
