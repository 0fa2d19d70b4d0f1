import { startPrivateMq, type PrivateMq } from '../support/private-mq';
import { fakeContext } from '../../shared/testing/lambda';
import type { ConsumedMessage } from '../../shared/lambda/mq-consumer';

// The consumer runtime (shared/lambda/mq-consumer.ts) driving the real SDK against the project's broker.
let mq: PrivateMq;
let runtime: typeof import('../../shared/lambda/mq-consumer');
let publisher: typeof import('../../shared/adapters/rocketmq/publisher').rocketmqPublisher;
let source: typeof import('../../shared/adapters/rocketmq/source').rocketmqSource;
let logger: typeof import('../../shared/logging/logger').logger;

beforeAll(async () => {
  mq = await startPrivateMq({ maxDeliveries: 2, orderlyInvisibilitySeconds: 3 });
  runtime = await import('../../shared/lambda/mq-consumer');
  publisher = (await import('../../shared/adapters/rocketmq/publisher')).rocketmqPublisher;
  source = (await import('../../shared/adapters/rocketmq/source')).rocketmqSource;
  logger = (await import('../../shared/logging/logger')).logger;
});
afterAll(async () => {
  await mq.stop();
  mq.restoreEnv();
});

const now = () => new Date().toISOString();
const scheduled = { source: 'aws.events' };
/** A context leaving `pollSeconds` of long polling after the runtime's 5 s reserve. */
const budget = (pollSeconds: number) => fakeContext('consumer', 5_000 + pollSeconds * 1_000 + 500);

describe('MQ consumer runtime', () => {
  it('processes ordered messages per order in publish order, stopping an order at its first failure', async () => {
    const statuses = ['WAIT_PAY', 'PAID', 'CONFIRMED', 'FINISHED'];
    for (const status of statuses) {
      for (const orderId of ['order-a', 'order-b']) await publisher.publish('OrderStatusChanged', { orderId, userId: 'u', status, changedAt: now() });
    }
    const seen: string[] = [];
    let failOnce = true;
    const handler = runtime.mqConsumer({
      consumer: 'ordered-test',
      messages: ['OrderStatusChanged'],
      ordered: true,
      source: () => source({ group: 'orderNotice', messages: ['OrderStatusChanged'], ordered: true }),
      handle: async ({ body }: ConsumedMessage<'OrderStatusChanged'>) => {
        if (body.orderId === 'order-a' && body.status === 'PAID' && failOnce) {
          failOnce = false;
          throw new Error('injected failure');
        }
        seen.push(`${body.orderId}:${body.status}`);
      },
    });

    const first = await handler(scheduled, budget(1));
    expect(seen.filter((s) => s.startsWith('order-a'))).toEqual(['order-a:WAIT_PAY']);
    expect(seen.filter((s) => s.startsWith('order-b'))).toEqual(statuses.map((s) => `order-b:${s}`));
    // The failure and the two later messages of its order are all left for redelivery.
    expect(first).toMatchObject({ received: 8, succeeded: 5, failed: 3 });

    // The failed message comes back after the ordered invisibility (3 s here), and the rest of its order after it.
    await handler(scheduled, budget(5));
    expect(seen.filter((s) => s.startsWith('order-a'))).toEqual(statuses.map((s) => `order-a:${s}`));
  });

  it('leaves a failed message unacked so that it comes back with ConsumedTimes + 1', async () => {
    await publisher.publish('StoreUpdated', { storeId: 'retry-me', updatedAt: now() });
    const attempts: number[] = [];
    const handler = runtime.mqConsumer({
      consumer: 'retry-test',
      messages: ['StoreUpdated'],
      source: () => source({ group: 'storeCache', messages: ['StoreUpdated'] }),
      handle: async ({ meta }) => {
        attempts.push(meta.consumedTimes);
        if (meta.consumedTimes === 1) throw new Error('transient');
      },
    });

    await handler(scheduled, budget(3));

    expect(attempts).toEqual([1, 2]);
  });

  it('dead-letters a poison message after the broker\'s last delivery, with log lines that say so', async () => {
    const { rocketmqSource } = await import('../../shared/adapters/rocketmq/source');
    const { mqClient, instanceId, topicName } = await import('../../shared/adapters/rocketmq/client');
    // A message no contract accepts: right tag, body that is not JSON.
    await (await mqClient()).getProducer(instanceId, topicName('user')).publishMessage('{not json', 'UserRegistered');
    const errors = jest.spyOn(logger, 'error');
    const handled = jest.fn();
    const handler = runtime.mqConsumer({
      consumer: 'poison-test',
      messages: ['UserRegistered'],
      source: () => rocketmqSource({ group: 'newUserCoupon', messages: ['UserRegistered'] }),
      handle: handled,
    });

    await handler(scheduled, budget(4));

    expect(handled).not.toHaveBeenCalled();
    expect(errors.mock.calls.filter(([message]) => String(message).startsWith('poison message'))).toHaveLength(2);
    const deadLetters = mq.broker.deadLetters();
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]).toMatchObject({ consumedTimes: 2 });
    expect(mq.logs.some((entry) => JSON.stringify(entry).includes('dead'))).toBe(true);
    errors.mockRestore();
  });

  it('processes a batch given as the event and reports the failures', async () => {
    const handler = runtime.mqConsumer({
      consumer: 'batch-test',
      messages: ['StoreUpdated'],
      source: () => {
        throw new Error('a batch needs no MQ client');
      },
      handle: async ({ body }) => {
        if (body.storeId === 'bad') throw new Error('nope');
      },
    });

    const result = await handler(
      {
        messages: [
          { messageId: 'm1', tag: 'StoreUpdated', body: { storeId: 'good', updatedAt: now() } },
          { messageId: 'm2', tag: 'StoreUpdated', body: { storeId: 'bad', updatedAt: now() } },
          { messageId: 'm3', tag: 'StoreUpdated', body: { storeId: 42 } },
        ],
      },
      fakeContext(),
    );

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }] });
  });

  it('stops polling in time to finish within the Lambda budget', async () => {
    const handler = runtime.mqConsumer({
      consumer: 'budget-test',
      messages: ['OrderPayTimeout'],
      source: () => source({ group: 'orderTimeout', messages: ['OrderPayTimeout'] }),
      handle: async () => undefined,
    });
    const context = fakeContext('consumer', 8_000);
    const started = Date.now();

    const result = await handler(scheduled, context);

    expect(Date.now() - started).toBeLessThanOrEqual(3_500);
    expect(context.getRemainingTimeInMillis()).toBeGreaterThanOrEqual(4_500);
    expect(result).toMatchObject({ received: 0 });
  });
});
