import { cancelledBody, confirmedBody, finishedBody, paidBody, refundedBody, waitPayBody } from '../../domain/notices/bodies';
import { noticeTypes, type NoticeType } from '../../domain/notices/notice-types';
import type { Order } from '../../domain/ordering/order';
import type { SubscribeMessage } from '../../ports/wechat';
import { listNoticeTemplates } from './list-notice-templates';
import { orderMessageCommandFactory } from './order-message-command-factory';
import {
  CancelOrderMessageCommand,
  ConfirmOrderMessageCommand,
  FinishedOrderMessageCommand,
  PayOrderMessageCommand,
  RefundOrderMessageCommand,
  WaitPayOrderMessageCommand,
} from './order-message-commands';

const templates: Record<NoticeType, string> = { WAIT_PAY: 't-wait', PAID: 't-paid', CONFIRMED: 't-conf', FINISHED: 't-fin', CANCELLED: 't-cancel', REFUNDED: 't-refund' };

const order: Order = {
  id: 'o-every-status-1',
  userId: 'u1',
  openid: 'openid-payer',
  storeId: 'store-001',
  status: 'REFUNDED',
  items: [{ productId: 'p1', name: '拿铁', quantity: 1, priceFen: 1800 }],
  totalFen: 1800,
  discountFen: 0,
  payableFen: 1800,
  payDeadline: '2026-11-30T08:30:00.000Z',
  createdAt: '2026-11-30T08:00:00.000Z',
  refunds: [{ outRefundNo: 'r1', amountFen: 1800, status: 'SUCCESS', reason: 'USER_REQUESTED' }],
  history: (['WAIT_PAY', 'PAID', 'CONFIRMED', 'FINISHED', 'CANCELLED', 'REFUNDING', 'REFUNDED'] as const).map((status) => ({ status, at: '2026-11-30T08:10:00.000Z' })),
  requestId: 'r1',
  requestDigest: 'd1',
};

const expected = [
  ['WAIT_PAY', WaitPayOrderMessageCommand, waitPayBody],
  ['PAID', PayOrderMessageCommand, paidBody],
  ['CONFIRMED', ConfirmOrderMessageCommand, confirmedBody],
  ['FINISHED', FinishedOrderMessageCommand, finishedBody],
  ['CANCELLED', CancelOrderMessageCommand, cancelledBody],
  ['REFUNDED', RefundOrderMessageCommand, refundedBody],
] as const;

describe('order message commands', () => {
  it.each(expected)('the factory makes the %s command, whose send delivers that body through the shared sender', async (type, commandClass, body) => {
    const sent: SubscribeMessage[] = [];
    const factory = orderMessageCommandFactory({ sender: { send: async (message) => (sent.push(message), { status: 'SENT' }) }, templates, orderPage: 'pages/order/detail' });

    const command = factory.create(type);
    await command.send(order);

    expect(command).toBeInstanceOf(commandClass);
    expect(command.type).toBe(type);
    expect(sent).toEqual([{ touser: 'openid-payer', templateId: templates[type], page: 'pages/order/detail?id=o-every-status-1', data: body(order) }]);
  });

  it('covers every notice type', () => {
    expect(expected.map(([type]) => type)).toEqual([...noticeTypes]);
  });

  it('lists the configured template of every notice type for wx.requestSubscribeMessage', () => {
    expect(listNoticeTemplates({ templates })).toEqual(noticeTypes.map((type) => ({ type, templateId: templates[type] })));
  });
});
