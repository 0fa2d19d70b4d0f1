import { sdkError, sleep, startTestBroker, unique, type TestBroker } from './helpers';
import type { SdkClient } from './sdk';

// invisibility 1 s, max deliveries 3 (helpers FAST)
let t: TestBroker;
let client: SdkClient;
beforeAll(async () => {
  t = await startTestBroker();
  client = t.client();
});
afterAll(() => t.broker.close());

describe('invisibility, redelivery and acks', () => {
  it('redelivers a message nobody acked at NextConsumeTime with a new handle, and refuses the old handle', async () => {
    const topic = unique('T_redeliver');
    await client.getProducer('', topic).publishMessage('crash me');
    const consumer = client.getConsumer('', topic, 'GID_redeliver');
    const [first] = (await consumer.consumeMessage(1)).body ?? [];
    // The consumer "dies" here: no ack. Until NextConsumeTime the message is invisible to the group.
    expect((await sdkError(consumer.consumeMessage(1))).Code).toBe('MessageNotExist');

    const [second] = (await consumer.consumeMessage(1, 5)).body ?? [];
    const receivedAt = Date.now();
    expect(receivedAt).toBeGreaterThanOrEqual(Number(first?.NextConsumeTime) - 5);
    expect(receivedAt - Number(first?.NextConsumeTime)).toBeLessThan(500);
    expect(second).toMatchObject({ MessageId: first?.MessageId, ConsumedTimes: '2', FirstConsumeTime: first?.FirstConsumeTime, MessageBody: 'crash me' });
    expect(second?.ReceiptHandle).not.toBe(first?.ReceiptHandle);

    const stale = await consumer.ackMessage([first?.ReceiptHandle ?? '']);
    expect(stale.code).toBe(404);
    expect(stale.body).toEqual([expect.objectContaining({ ErrorCode: 'MessageNotExist', ReceiptHandle: first?.ReceiptHandle })]);
    expect((await consumer.ackMessage([second?.ReceiptHandle ?? ''])).code).toBe(204);
    await sleep(1100);
    expect((await sdkError(consumer.consumeMessage(1))).Code).toBe('MessageNotExist');
  });

  it('applies the valid handles of a partly failing ack and lists only the failed ones, with 404', async () => {
    const topic = unique('T_partial');
    const producer = client.getProducer('', topic);
    await producer.publishMessage('one');
    await producer.publishMessage('two');
    const consumer = client.getConsumer('', topic, 'GID_partial');
    const [one, two] = (await consumer.consumeMessage(2)).body ?? [];

    const partial = await consumer.ackMessage([one?.ReceiptHandle ?? '', 'bogus-handle', two?.ReceiptHandle ?? '', one?.ReceiptHandle ?? '']);
    expect(partial.code).toBe(404);
    expect(partial.body).toEqual([
      { ErrorCode: 'ReceiptHandleError', ErrorMessage: 'The receipt handle you provide is not valid.', ReceiptHandle: 'bogus-handle' },
      expect.objectContaining({ ErrorCode: 'MessageNotExist', ReceiptHandle: one?.ReceiptHandle }),
    ]);
    // Both good handles were applied: nothing comes back once the invisibility is over, and a used handle stays used.
    expect((await sdkError(consumer.consumeMessage(2, 2))).Code).toBe('MessageNotExist');
    expect((await consumer.ackMessage([two?.ReceiptHandle ?? ''])).body?.[0]?.ErrorCode).toBe('MessageNotExist');
  });

  it('refuses a handle of another group and an ack without handles', async () => {
    const topic = unique('T_other_group');
    await client.getProducer('', topic).publishMessage('x');
    const [message] = (await client.getConsumer('', topic, 'GID_mine').consumeMessage(1)).body ?? [];
    const foreign = await client.getConsumer('', topic, 'GID_theirs').ackMessage([message?.ReceiptHandle ?? '']);
    expect(foreign.body?.[0]?.ErrorCode).toBe('MessageNotExist');
    expect((await sdkError(client.getConsumer('', topic, 'GID_mine').ackMessage([]))).Code).toBe('MissingReceiptHandle');
  });

  it('moves a message to the dead letters after max deliveries, logs it, and lists it on the admin route', async () => {
    const topic = unique('T_dead');
    const { body: published } = await client.getProducer('', topic).publishMessage('poison', 'P');
    const consumer = client.getConsumer('', topic, 'GID_dead');
    const counts: string[] = [];
    for (let i = 0; i < 3; i++) counts.push(...((await consumer.consumeMessage(1, 3)).body ?? []).map((m) => m.ConsumedTimes));
    expect(counts).toEqual(['1', '2', '3']);
    expect((await sdkError(consumer.consumeMessage(1, 2))).Code).toBe('MessageNotExist');

    const expected = { topic, group: 'GID_dead', messageId: published?.MessageId, consumedTimes: 3 };
    expect(t.broker.deadLetters({ topic })).toEqual([expect.objectContaining({ ...expected, body: 'poison', tag: 'P', instanceId: '' })]);
    expect(t.logs).toContainEqual(expect.objectContaining({ event: 'mq.dead-letter', ...expected, message: expect.stringContaining('dead-letter') }));
    const admin = await fetch(`${t.broker.url}/__admin/dead-letters?topic=${topic}&consumer=GID_dead`);
    expect(admin.status).toBe(200);
    expect(((await admin.json()) as any).deadLetters).toEqual([expect.objectContaining(expected)]);
    const none = (await (await fetch(`${t.broker.url}/__admin/dead-letters?topic=${topic}&consumer=GID_else`)).json()) as any;
    expect(none.deadLetters).toEqual([]);
    // Dead-lettering is per group: another group still gets the message.
    expect((await client.getConsumer('', topic, 'GID_alive').consumeMessage(1)).body?.[0]?.MessageId).toBe(published?.MessageId);
  });
});
