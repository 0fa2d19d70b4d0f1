import { fitSubscribeData } from '../../shared/adapters/wechat/subscribe-values';
import { firstInvalidKey } from '../../local/wechat-stand-in/subscribe-rules';
import type { SubscribeValueType } from '../../local/wechat-stand-in';
import { WxMessageRejectedError } from '../../shared/ports/wechat';

/** Values an order notice may carry, per key, including ones over WeChat's limits. */
const samples: Record<string, [SubscribeValueType, string[]]> = {
  thing1: ['thing', ['南山科技园店', '深圳市南山区科技园南区高新南七道数字技术园店', 'Latte x2, Americano x1, Croissant x3']],
  number2: ['number', ['42', '3.14', '1'.repeat(32)]],
  letter3: ['letter', ['ABC', 'x'.repeat(40)]],
  symbol4: ['symbol', ['#', '!!!!!!!!']],
  character_string5: ['character_string', ['T20250520001', 'ORDER-'.repeat(8)]],
  time6: ['time', ['15:01', '2019年10月1日 15:01', '2025-05-20 13:29', '10:00~12:00']],
  date7: ['date', ['2019年10月1日', '2025-05-20', '2025-05-20 13:29']],
  amount8: ['amount', ['¥23.50', '23.50元', '100']],
  phone_number9: ['phone_number', ['+86-755-12345678', '13800138000']],
  car_number10: ['car_number', ['粤B12345']],
  name11: ['name', ['张三', '欧阳诸葛司马上官皇甫东方', 'Alexander Hamilton Washington']],
  phrase12: ['phrase', ['配送中', '商家已接单完成']],
};

describe('fitting subscribe-message values to their limits', () => {
  it.each(Object.entries(samples).flatMap(([key, [type, values]]) => values.map((value) => [key, type, value] as const)))(
    '%s (%s) "%s" is fitted into something the stand-in accepts',
    (key, type, value) => {
      const fitted = fitSubscribeData({ [key]: { value } });
      expect(firstInvalidKey({ [key]: type }, fitted)).toBeUndefined();
    },
  );

  it('keeps values inside the limits unchanged and shortens a thing with an ellipsis', () => {
    expect(fitSubscribeData({ thing1: { value: '南山科技园店' }, amount2: { value: '¥23.50' } })).toEqual({ thing1: { value: '南山科技园店' }, amount2: { value: '¥23.50' } });
    expect(fitSubscribeData({ thing1: { value: 'a'.repeat(25) } }).thing1!.value).toBe(`${'a'.repeat(19)}…`);
  });

  it.each([
    ['amount2', '二十三元'],
    ['time3', '下午三点'],
    ['phrase4', 'OK'],
    ['letter5', 'abc1'],
    ['character_string6', '订单一'],
    ['thing7', '   '],
    ['number8', '1'.repeat(33)],
  ])('refuses %s = "%s", which cannot be fitted, naming the key', (key, value) => {
    expect(() => fitSubscribeData({ [key]: { value } })).toThrow(WxMessageRejectedError);
    expect(() => fitSubscribeData({ [key]: { value } })).toThrow(`data.${key}.value`);
  });
});
