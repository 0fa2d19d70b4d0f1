import { startPrivateMq, type PrivateMq } from '../support/private-mq';

// The production MQ adapters, through the real @aliyunmq/mq-http-sdk, against the project's broker.
let mq: PrivateMq;
let adapters: {
  publisher: typeof import('../../shared/adapters/rocketmq/publisher').rocketmqPublisher;
  tx: typeof import('../../shared/adapters/rocketmq/tx-publisher').rocketmqTxPublisher;
  source: typeof import('../../shared/adapters/rocketmq/source').rocketmqSource;
};

beforeAll(async () => {
  mq = await startPrivateMq();
  adapters = {
    publisher: (await import('../../shared/adapters/rocketmq/publisher')).rocketmqPublisher,
    tx: (await import('../../shared/adapters/rocketmq/tx-publisher')).rocketmqTxPublisher,
    source: (await import('../../shared/adapters/rocketmq/source')).rocketmqSource,
  };
});
afterAll(async () => {
  await mq.stop();
  mq.restoreEnv();
});

const now = () => new Date().toISOString();

describe('RocketMQ adapters', () => {
  it('publishes a normal message with its tag and key, and receives it', async () => {
    const source = adapters.source({ group: 'newUserCoupon', messages: ['UserRegistered'] });
    const body = { userId: 'u-normal', openid: 'o-normal', registeredAt: now() };

    const { messageId } = await adapters.publisher.publish('UserRegistered', body);
    const [received] = await source.receive(16, 3);

    expect(received).toMatchObject({ messageId, tag: 'UserRegistered', key: 'u-normal', consumedTimes: 1 });
    expect(JSON.parse(received!.body)).toEqual(body);
    expect(await source.ack([received!.receiptHandle])).toEqual([]);
    expect(await source.receive(16, 1)).toEqual([]);
  });

  it('refuses a body that breaks its contract before sending it', async () => {
    await expect(adapters.publisher.publish('UserRegistered', { userId: '', openid: 'o', registeredAt: 'yesterday' })).rejects.toThrow();
  });

  it('delivers a delayed message at its time, not before', async () => {
    const source = adapters.source({ group: 'orderTimeout', messages: ['OrderPayTimeout'] });
    const deliverAt = new Date(Date.now() + 1_500);
    await adapters.publisher.publish('OrderPayTimeout', { orderId: 'o-delay', userId: 'u', payDeadline: deliverAt.toISOString() }, { deliverAt });

    expect(await source.receive(16, 1)).toEqual([]);
    const [received] = await source.receive(16, 3);
    const lateMs = Date.now() - deliverAt.getTime();

    expect(received?.key).toBe('o-delay');
    expect(lateMs).toBeGreaterThanOrEqual(0);
    expect(lateMs).toBeLessThan(1_000);
    await source.ack([received!.receiptHandle]);
  });

  it('refuses to delay a message whose topic is not a delay topic', async () => {
    await expect(adapters.publisher.publish('UserRegistered', { userId: 'u', openid: 'o', registeredAt: now() }, { deliverAt: new Date() })).rejects.toThrow(
      'cannot delay delivery',
    );
  });

  it('carries the sharding key of ordered messages', async () => {
    const source = adapters.source({ group: 'orderNotice', messages: ['OrderStatusChanged'], ordered: true });
    await adapters.publisher.publish('OrderStatusChanged', { orderId: 'o-shard', userId: 'u', status: 'PAID', changedAt: now() });
    const [received] = await source.receive(16, 3);
    expect(received).toMatchObject({ shardingKey: 'o-shard', key: 'o-shard.PAID' });
    await source.ack([received!.receiptHandle]);
  });

  it('keeps a half message from consumers until it is committed, and drops a rolled back one', async () => {
    const source = adapters.source({ group: 'refundExecutor', messages: ['OrderFinished', 'OrderRefunded'] });
    const committed = await adapters.tx.publishHalf('OrderFinished', { orderId: 'o-commit', userId: 'u', finishedAt: now() }, { checkBackAfterSeconds: 10 });
    const rolledBack = await adapters.tx.publishHalf('OrderFinished', { orderId: 'o-rollback', userId: 'u', finishedAt: now() }, { checkBackAfterSeconds: 10 });

    expect(await source.receive(16, 1)).toEqual([]);
    expect(await adapters.tx.rollback(rolledBack)).toBe(true);
    expect(await adapters.tx.commit(committed)).toBe(true);

    const received = await source.receive(16, 2);
    expect(received.map((m) => m.key)).toEqual(['o-commit']);
    await source.ack(received.map((m) => m.receiptHandle));
  });

  it('reports a commit with a used handle as refused (false), not as an exception', async () => {
    const half = await adapters.tx.publishHalf('OrderFinished', { orderId: 'o-twice', userId: 'u', finishedAt: now() }, { checkBackAfterSeconds: 10 });
    expect(await adapters.tx.commit(half)).toBe(true);
    expect(await adapters.tx.commit(half)).toBe(false);
  });

  it('returns the handles an ack refused, and applies the others', async () => {
    const source = adapters.source({ group: 'storeCache', messages: ['StoreUpdated'] });
    await adapters.publisher.publish('StoreUpdated', { storeId: 's-ack', updatedAt: now() });
    const [received] = await source.receive(16, 3);

    const failures = await source.ack([received!.receiptHandle, 'not-a-handle']);

    expect(failures).toEqual([{ receiptHandle: 'not-a-handle', errorCode: 'ReceiptHandleError' }]);
    await new Promise((r) => setTimeout(r, 1_200));
    expect(await source.receive(16, 1)).toEqual([]);
  });
});
