import type { NoticeType } from '../../domain/notices/notice-types';
import type { Order } from '../../domain/ordering/order';
import type { NoticeClaim, NoticeRecord, NoticeRepository } from '../../ports/notices';
import { WxMessageRejectedError, WxSendOutcomeUnknownError, WxUnavailableError, type SubscribeMessage, type SubscribeSendResult } from '../../ports/wechat';
import { orderMessageCommandFactory } from './order-message-command-factory';
import { sendOrderNotice, type SendOrderNoticeDeps } from './send-order-notice';

/** The repository's semantics without DynamoDB: a claim is a conditional insert; record and release need the claim. */
function inMemoryNotices() {
  const items = new Map<string, NoticeRecord & { claimId: string }>();
  const key = (claim: Pick<NoticeClaim, 'orderId' | 'status'>) => `${claim.orderId}#${claim.status}`;
  const mine = (claim: NoticeClaim) => {
    const item = items.get(key(claim));
    return item?.claimId === claim.claimId && item.result === 'SENDING' ? item : undefined;
  };
  const repository: NoticeRepository = {
    async claim(claim) {
      if (items.has(key(claim))) return false;
      items.set(key(claim), { orderId: claim.orderId, status: claim.status, result: 'SENDING', claimedAt: claim.claimedAt.toISOString(), claimId: claim.claimId });
      return true;
    },
    async record(claim, outcome, at) {
      const item = mine(claim);
      if (!item) throw new Error('not this claim');
      items.set(key(claim), { ...item, ...outcome, sentAt: at.toISOString() });
    },
    async release(claim) {
      if (mine(claim)) items.delete(key(claim));
    },
    async listForOrder(orderId) {
      return [...items.values()].filter((item) => item.orderId === orderId);
    },
  };
  return { repository, result: (orderId: string, status: NoticeType) => items.get(`${orderId}#${status}`)?.result };
}

/** A sender that answers from a script (one entry per send, then SENT), recording what reached "WeChat". */
function scriptedSender(script: Array<SubscribeSendResult | Error> = []) {
  const delivered: SubscribeMessage[] = [];
  let attempts = 0;
  return {
    delivered,
    attempts: () => attempts,
    sender: {
      async send(message: SubscribeMessage): Promise<SubscribeSendResult> {
        attempts += 1;
        await new Promise((resolve) => setImmediate(resolve));
        const next = script.shift() ?? { status: 'SENT', msgid: `m${attempts}` };
        if (next instanceof WxUnavailableError) throw next;
        // An unknown outcome may have reached the user: count it as delivered, as WeChat might have.
        if (next instanceof WxSendOutcomeUnknownError) delivered.push(message);
        if (next instanceof Error) throw next;
        if (next.status === 'SENT') delivered.push(message);
        return next;
      },
    },
  };
}

const cancelledOrder: Order = {
  id: 'o-cancelled-0001',
  userId: 'u1',
  openid: 'openid-1',
  storeId: 'store-001',
  status: 'CANCELLED',
  items: [{ productId: 'p1', name: '拿铁', quantity: 1, priceFen: 1800 }],
  totalFen: 1800,
  discountFen: 0,
  payableFen: 1800,
  payDeadline: '2026-11-30T08:30:00.000Z',
  createdAt: '2026-11-30T08:00:00.000Z',
  cancelledAt: '2026-11-30T08:30:01.000Z',
  refunds: [],
  history: [
    { status: 'WAIT_PAY', at: '2026-11-30T08:00:00.000Z' },
    { status: 'CANCELLED', at: '2026-11-30T08:30:01.000Z' },
  ],
  requestId: 'r1',
  requestDigest: 'd1',
};

function setup(script?: Array<SubscribeSendResult | Error>, overrides: Partial<SendOrderNoticeDeps> = {}) {
  const notices = inMemoryNotices();
  const wechat = scriptedSender(script);
  let n = 0;
  const deps: SendOrderNoticeDeps = {
    orders: { get: async (orderId) => (orderId === cancelledOrder.id ? cancelledOrder : undefined) },
    notices: notices.repository,
    commands: orderMessageCommandFactory({ sender: wechat.sender, templates: { WAIT_PAY: 't-wait', PAID: 't-paid', CONFIRMED: 't-conf', FINISHED: 't-fin', CANCELLED: 't-cancel', REFUNDED: 't-refund' }, orderPage: 'pages/order/detail' }),
    clock: { now: () => new Date('2026-11-30T08:31:00.000Z') },
    ids: { randomId: () => `claim-${++n}` },
    ...overrides,
  };
  return { deps, notices, wechat };
}

const cancelled = { orderId: cancelledOrder.id, status: 'CANCELLED' };

describe('sendOrderNotice', () => {
  it('sends the status notice to the payer and records it SENT', async () => {
    const { deps, notices, wechat } = setup();
    expect(await sendOrderNotice(deps, cancelled)).toBe('SENT');
    expect(wechat.delivered).toEqual([expect.objectContaining({ touser: 'openid-1', templateId: 't-cancel', page: 'pages/order/detail?id=o-cancelled-0001' })]);
    expect(await deps.notices.listForOrder(cancelledOrder.id)).toEqual([expect.objectContaining({ status: 'CANCELLED', result: 'SENT', msgid: 'm1', sentAt: '2026-11-30T08:31:00.000Z' })]);
    expect(notices.result(cancelledOrder.id, 'WAIT_PAY')).toBeUndefined();
  });

  it('sends once when the same status arrives ten times at once, and again later', async () => {
    const { deps, wechat } = setup();
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => sendOrderNotice(deps, cancelled)));
    expect(await sendOrderNotice(deps, cancelled)).toBe('DUPLICATE');
    expect(outcomes.filter((o) => o === 'SENT')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'DUPLICATE')).toHaveLength(9);
    expect(wechat.attempts()).toBe(1);
  });

  it('records a user without a subscription (43101) as NOT_SUBSCRIBED and does not ask for a retry', async () => {
    const { deps, notices, wechat } = setup([{ status: 'NOT_SUBSCRIBED' }]);
    expect(await sendOrderNotice(deps, cancelled)).toBe('NOT_SUBSCRIBED');
    expect(await sendOrderNotice(deps, cancelled)).toBe('DUPLICATE');
    expect(notices.result(cancelledOrder.id, 'CANCELLED')).toBe('NOT_SUBSCRIBED');
    expect(wechat.attempts()).toBe(1);
  });

  it('records a message WeChat rejects as REJECTED with its errcode and does not retry it', async () => {
    const { deps, wechat } = setup([new WxMessageRejectedError(40037, 'invalid template_id')]);
    expect(await sendOrderNotice(deps, cancelled)).toBe('REJECTED');
    expect(await sendOrderNotice(deps, cancelled)).toBe('DUPLICATE');
    expect(await deps.notices.listForOrder(cancelledOrder.id)).toEqual([expect.objectContaining({ result: 'REJECTED', errcode: 40037 })]);
    expect(wechat.attempts()).toBe(1);
  });

  it('releases the claim and throws when WeChat is unavailable, so that the redelivery sends it once', async () => {
    const { deps, notices, wechat } = setup([new WxUnavailableError('connect ECONNREFUSED')]);
    await expect(sendOrderNotice(deps, cancelled)).rejects.toBeInstanceOf(WxUnavailableError);
    expect(notices.result(cancelledOrder.id, 'CANCELLED')).toBeUndefined();
    expect(await sendOrderNotice(deps, cancelled)).toBe('SENT');
    expect(wechat.delivered).toHaveLength(1);
  });

  it('records a send of unknown outcome as UNKNOWN and never sends it again (at most once)', async () => {
    const { deps, notices, wechat } = setup([new WxSendOutcomeUnknownError('timed out')]);
    expect(await sendOrderNotice(deps, cancelled)).toBe('UNKNOWN');
    expect(await sendOrderNotice(deps, cancelled)).toBe('DUPLICATE');
    expect(notices.result(cancelledOrder.id, 'CANCELLED')).toBe('UNKNOWN');
    expect(wechat.attempts()).toBe(1);
  });

  it('does not send again after a crash between the send and the record', async () => {
    const crashing = setup();
    const crash = { ...crashing.deps, notices: { ...crashing.notices.repository, record: () => Promise.reject(new Error('process died')) } };
    await expect(sendOrderNotice(crash, cancelled)).rejects.toThrow('process died');
    expect(await sendOrderNotice(crashing.deps, cancelled)).toBe('DUPLICATE');
    expect(crashing.notices.result(cancelledOrder.id, 'CANCELLED')).toBe('SENDING');
    expect(crashing.wechat.delivered).toHaveLength(1);
  });

  it('skips a notice that arrives after the notice of a later step (an event the relay published late), and only then', async () => {
    const { deps, notices, wechat } = setup();
    const waitPay = { orderId: cancelledOrder.id, status: 'WAIT_PAY' };
    // In order: both go, WAIT_PAY first.
    expect(await sendOrderNotice(deps, waitPay)).toBe('SENT');
    expect(await sendOrderNotice(deps, cancelled)).toBe('SENT');
    expect(wechat.delivered.map((m) => m.templateId)).toEqual(['t-wait', 't-cancel']);

    // Out of order: CANCELLED went out, then the late WAIT_PAY comes; it is acked and nothing more is sent.
    const late = setup();
    expect(await sendOrderNotice(late.deps, cancelled)).toBe('SENT');
    expect(await sendOrderNotice(late.deps, waitPay)).toBe('SUPERSEDED');
    expect(late.wechat.delivered.map((m) => m.templateId)).toEqual(['t-cancel']);
    expect(late.notices.result(cancelledOrder.id, 'WAIT_PAY')).toBeUndefined();
    expect(notices.result(cancelledOrder.id, 'WAIT_PAY')).toBe('SENT');
  });

  it('acks an order that does not exist, a status without a notice and one the order never reached, claiming nothing', async () => {
    const { deps, wechat } = setup();
    expect(await sendOrderNotice(deps, { orderId: 'o-missing-0001', status: 'PAID' })).toBe('ORDER_NOT_FOUND');
    expect(await sendOrderNotice(deps, { orderId: cancelledOrder.id, status: 'REFUNDING' })).toBe('NO_NOTICE');
    expect(await sendOrderNotice(deps, { orderId: cancelledOrder.id, status: 'PAID' })).toBe('STATUS_NOT_REACHED');
    expect(await deps.notices.listForOrder(cancelledOrder.id)).toEqual([]);
    expect(wechat.attempts()).toBe(0);
  });
});
