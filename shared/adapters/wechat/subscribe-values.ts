import { WxMessageRejectedError } from '../../ports/wechat';

/**
 * WeChat answers 47003 for a subscribe-message value over its key type's limit (the key's alphabetic prefix:
 * `thing1` is a `thing`). Text that may be shortened is truncated here; values that cannot be shortened without
 * changing their meaning (amounts, times, phone numbers) are checked and refused before sending.
 * Limits: WeChat's sendMessage page (developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html).
 */
type Fit = (value: string) => string | undefined;

const characters = (value: string) => Array.from(value);

function clip(value: string, limit: number, ellipsis = ''): string {
  const chars = characters(value);
  if (chars.length <= limit) return value;
  return chars.slice(0, limit - ellipsis.length).join('') + ellipsis;
}

const onlyIf =
  (pattern: RegExp, fit: Fit = (value) => value): Fit =>
  (value) =>
    pattern.test(value) ? fit(value) : undefined;

const CLOCK = String.raw`\d{1,2}:\d{2}(:\d{2})?`;
const DAY = String.raw`(\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2})`;
const range = (one: string) => new RegExp(`^${one}( ?~ ?${one})?$`);
const TIME = range(`(${DAY} ?)?${CLOCK}`);
const DATE = range(`${DAY}( ?${CLOCK})?`);

const fitByType: Record<string, Fit> = {
  thing: (value) => clip(value, 20, '…'),
  number: onlyIf(/^[-+]?(?=(?:\D*\d){1,32}\D*$)\d+(\.\d+)?$/),
  letter: onlyIf(/^[A-Za-z]+$/, (value) => clip(value, 32)),
  symbol: onlyIf(/^[^\p{L}\p{N}\s]+$/u, (value) => clip(value, 5)),
  character_string: onlyIf(/^[\x21-\x7e]+$/, (value) => clip(value, 32)),
  time: onlyIf(TIME),
  date: onlyIf(DATE),
  amount: onlyIf(/^[¥￥$]?\d{1,10}(\.\d{1,2})?元?$/),
  phone_number: onlyIf(/^[\d+\-() ]{1,17}$/),
  car_number: onlyIf(/^[\p{Script=Han}A-Za-z0-9]{1,8}$/u),
  // Mixed text counts as Chinese, so only pure ASCII gets the longer limit.
  name: (value) => clip(value, /^[\x20-\x7e]+$/.test(value) ? 20 : 10),
  phrase: (value) => onlyIf(/^\p{Script=Han}{1,5}$/u)(clip(value, 5)),
};

/** The key's type: its alphabetic prefix (`character_string3` -> `character_string`). */
export function subscribeKeyType(key: string): string {
  return key.replace(/\d+$/, '');
}

/**
 * Fits every value of a subscribe message to its key type's limit, or throws WxMessageRejectedError (47003, as
 * WeChat would) naming the first key whose value cannot be fitted. Unknown types (`enum`, `const`) pass unchanged.
 */
export function fitSubscribeData(data: Record<string, { value: string }>): Record<string, { value: string }> {
  const fitted: Record<string, { value: string }> = {};
  for (const [key, { value }] of Object.entries(data)) {
    const fit = fitByType[subscribeKeyType(key)];
    const result = value.trim() === '' ? undefined : fit ? fit(value) : value;
    if (result === undefined) throw new WxMessageRejectedError(47003, `data.${key}.value does not fit its type`);
    fitted[key] = { value: result };
  }
  return fitted;
}
