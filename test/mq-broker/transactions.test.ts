import { sdkError, sleep, startTestBroker, unique, type TestBroker } from './helpers';
import { props, type SdkClient } from './sdk';

// check-back interval 1 s, __TransCheckT accepted from 1 s (helpers FAST)
let t: TestBroker;
let client: SdkClient;
beforeAll(async () => {
  t = await startTestBroker();
  client = t.client();
});
afterAll(() => t.broker.close());

const half = (seconds: number) => props((p) => (p.transCheckImmunityTime(seconds), p.putProperty('orderId', 'o-1')));

describe('transactional (half) messages', () => {
  it('hides a half message until it is committed with the publish handle, which then is used up', async () => {
    const topic = unique('T_tx_commit');
    const producer = client.getTransProducer('', topic, 'GID_tx');
    const published = await producer.publishMessage('refund o-1', 'refund', half(5));
    expect(published.code).toBe(201);
    expect(published.body?.ReceiptHandle).toMatch(new RegExp(`^${published.body?.MessageId}-`));
    const consumer = client.getConsumer('', topic, 'GID_tx_consumer');
    expect((await sdkError(consumer.consumeMessage(16))).Code).toBe('MessageNotExist');

    const started = Date.now();
    const waiting = consumer.consumeMessage(16, 5);
    await sleep(200);
    expect((await producer.commit(published.body?.ReceiptHandle ?? '')).code).toBe(204);
    const { body } = await waiting;
    expect(Date.now() - started).toBeLessThan(1500);
    expect(body?.[0]).toMatchObject({ MessageId: published.body?.MessageId, MessageBody: 'refund o-1', MessageTag: 'refund', Properties: { orderId: 'o-1' } });

    const again = await producer.commit(published.body?.ReceiptHandle ?? '');
    expect(again.code).toBe(404);
    expect(again.body?.[0]?.ErrorCode).toBe('MessageNotExist');
  });

  it('drops a rolled-back half message: no consumer and no check-back ever sees it', async () => {
    const topic = unique('T_tx_rollback');
    const producer = client.getTransProducer('', topic, 'GID_tx');
    const published = await producer.publishMessage('cancelled', '', half(1));
    expect((await producer.rollback(published.body?.ReceiptHandle ?? '')).code).toBe(204);
    expect((await sdkError(client.getConsumer('', topic, 'GID_tx_consumer').consumeMessage(16, 1))).Code).toBe('MessageNotExist');
    expect((await sdkError(producer.consumeHalfMessage(16, 1))).Code).toBe('MessageNotExist');
  });

  it('offers an unresolved half message to trans=pop after TransCheckT, again every interval, until the pop handle commits it', async () => {
    const topic = unique('T_tx_check');
    const producer = client.getTransProducer('', topic, 'GID_tx');
    const beforePublish = Date.now();
    const published = await producer.publishMessage('maybe', '', half(1));
    expect((await sdkError(producer.consumeHalfMessage(16))).Code).toBe('MessageNotExist');

    const [first] = (await producer.consumeHalfMessage(16, 3)).body ?? [];
    expect(Date.now() - beforePublish).toBeGreaterThanOrEqual(1000);
    expect(first).toMatchObject({ MessageId: published.body?.MessageId, ConsumedTimes: '1', MessageBody: 'maybe' });
    expect(first?.ReceiptHandle).not.toBe(published.body?.ReceiptHandle);
    // Past TransCheckImmunityTime the publish handle no longer decides.
    expect((await producer.commit(published.body?.ReceiptHandle ?? '')).body?.[0]?.ErrorCode).toBe('MessageNotExist');
    expect((await sdkError(producer.consumeHalfMessage(16))).Code).toBe('MessageNotExist');

    const [second] = (await producer.consumeHalfMessage(16, 3)).body ?? [];
    expect(Number(second?.FirstConsumeTime)).toBe(Number(first?.FirstConsumeTime));
    expect(Number(second?.FirstConsumeTime) + 1000).toBeLessThanOrEqual(Date.now() + 5);
    // Any group may answer the check-back; each pop gets a new handle and the previous one is dead.
    const [third] = (await client.getTransProducer('', topic, 'GID_tx_other').consumeHalfMessage(16, 3)).body ?? [];
    expect([second?.ConsumedTimes, third?.ConsumedTimes]).toEqual(['2', '3']);
    expect(new Set([first?.ReceiptHandle, second?.ReceiptHandle, third?.ReceiptHandle]).size).toBe(3);
    expect((await producer.rollback(second?.ReceiptHandle ?? '')).body?.[0]?.ErrorCode).toBe('MessageNotExist');

    expect((await producer.commit(third?.ReceiptHandle ?? '')).code).toBe(204);
    const delivered = (await client.getConsumer('', topic, 'GID_tx_consumer').consumeMessage(16)).body ?? [];
    expect(delivered.map((m) => m.MessageId)).toEqual([published.body?.MessageId]);
    expect((await sdkError(producer.consumeHalfMessage(16, 2))).Code).toBe('MessageNotExist');
  });

  it('refuses a garbage handle for commit with ReceiptHandleError', async () => {
    const result = await client.getTransProducer('', unique('T_tx_garbage'), 'GID_tx').commit('not-a-handle');
    expect(result.code).toBe(404);
    expect(result.body).toEqual([expect.objectContaining({ ErrorCode: 'ReceiptHandleError', ReceiptHandle: 'not-a-handle' })]);
  });

  it('accepts __TransCheckT only in 10..300 by default', async () => {
    const strict = await startTestBroker({ minTransCheckSeconds: undefined });
    try {
      const producer = strict.client().getTransProducer('', unique('T_tx_range'), 'GID_tx');
      expect((await sdkError(producer.publishMessage('x', '', half(9)))).Code).toBe('InvalidArgument');
      expect((await sdkError(producer.publishMessage('x', '', half(301)))).Code).toBe('InvalidArgument');
      expect((await producer.publishMessage('x', '', half(10))).body?.ReceiptHandle).toBeDefined();
    } finally {
      await strict.broker.close();
    }
  });

  it('discards a half message nobody resolves within the check-back period, and logs it', async () => {
    const short = await startTestBroker({ halfCheckMaxSeconds: 1 });
    try {
      const topic = unique('T_tx_expire');
      const producer = short.client().getTransProducer('', topic, 'GID_tx');
      const published = await producer.publishMessage('forgotten', '', half(1));
      expect((await producer.consumeHalfMessage(1, 3)).body?.[0]?.MessageId).toBe(published.body?.MessageId);
      expect((await sdkError(producer.consumeHalfMessage(1, 2))).Code).toBe('MessageNotExist');
      expect(short.logs).toContainEqual(expect.objectContaining({ event: 'mq.half-message-discarded', topic, messageId: published.body?.MessageId }));
    } finally {
      await short.broker.close();
    }
  });
});
