import { sdkError, sleep, startTestBroker, unique, type TestBroker } from './helpers';
import { props, type SdkClient } from './sdk';

let t: TestBroker;
let client: SdkClient;
beforeAll(async () => {
  t = await startTestBroker({ invisibilitySeconds: 30 });
  client = t.client();
});
afterAll(() => t.broker.close());

describe('long polling and delayed delivery', () => {
  it('answers a long poll as soon as a message is published', async () => {
    const topic = unique('T_poll');
    const started = Date.now();
    const poll = client.getConsumer('', topic, 'GID_poll').consumeMessage(16, 10);
    await sleep(300);
    await client.getProducer('', topic).publishMessage('arrived');
    const { body } = await poll;
    expect(body?.map((m) => m.MessageBody)).toEqual(['arrived']);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('holds an empty long poll for waitseconds, then throws MessageNotExist', async () => {
    const started = Date.now();
    const error = await sdkError(client.getConsumer('', unique('T_poll_empty'), 'GID_poll').consumeMessage(1, 1));
    expect(error.Code).toBe('MessageNotExist');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('hides a delayed message until __STARTDELIVERTIME and wakes a waiting long poll then', async () => {
    const topic = unique('T_delay');
    const consumer = client.getConsumer('', topic, 'GID_delay');
    const due = Date.now() + 1500;
    await client.getProducer('', topic).publishMessage('later', '', props((p) => p.startDeliverTime(due)));
    expect((await sdkError(consumer.consumeMessage(1))).Code).toBe('MessageNotExist');
    const { body } = await consumer.consumeMessage(1, 10);
    const lateness = Date.now() - due;
    expect(body?.[0]).toMatchObject({ MessageBody: 'later', StartDeliverTime: due });
    expect(lateness).toBeGreaterThanOrEqual(0);
    expect(lateness).toBeLessThan(500);
  });

  it('delivers a message whose start time is in the past at once', async () => {
    const topic = unique('T_past');
    await client.getProducer('', topic).publishMessage('now', '', props((p) => p.startDeliverTime(Date.now() - 60_000)));
    expect((await client.getConsumer('', topic, 'GID_past').consumeMessage(1)).body?.[0]?.MessageBody).toBe('now');
  });

  it('rejects a start time more than 40 days ahead', async () => {
    const tooFar = props((p) => p.startDeliverTime(Date.now() + 41 * 24 * 3600_000));
    expect((await sdkError(client.getProducer('', unique('T_far')).publishMessage('x', '', tooFar))).Code).toBe('InvalidArgument');
  });
});
