import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJournal } from '../../local/mq-broker/journal';
import { sdkError, startTestBroker, unique, waitFor, type TestBroker } from './helpers';
import { props } from './sdk';

const dirs: string[] = [];
const newDataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'mq-broker-test-'));
  dirs.push(dir);
  return dir;
};
let running: TestBroker | undefined;
afterEach(async () => {
  await running?.broker.close();
  running = undefined;
});
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('persistence in a data folder', () => {
  it('keeps queued, in-flight, delayed and half messages, acks and dead letters across restarts', async () => {
    const dataDir = newDataDir();
    const topic = unique('T_persist');
    // First life: a message is dead-lettered after its only allowed delivery.
    let t: TestBroker = await startTestBroker({ dataDir, invisibilitySeconds: 1, maxDeliveries: 1 });
    running = t;
    const dead = await t.client().getProducer('', `${topic}_dead`).publishMessage('poison');
    await t.client().getConsumer('', `${topic}_dead`, 'GID_persist').consumeMessage(1);
    await waitFor('the dead letter', () => t.broker.deadLetters().length === 1, 3000);
    await t.broker.close();

    // Second life: one message acked, one in flight, one queued, one delayed, one half message.
    const options = { dataDir, invisibilitySeconds: 10 };
    t = await startTestBroker(options);
    running = t;
    let client = t.client();
    const producer = client.getProducer('', topic);
    const consumer = () => t.client().getConsumer('', topic, 'GID_persist');
    await producer.publishMessage('acked');
    const [acked] = (await consumer().consumeMessage(1)).body ?? [];
    expect((await consumer().ackMessage([acked?.ReceiptHandle ?? ''])).code).toBe(204);
    await producer.publishMessage('in flight');
    const [inFlight] = (await consumer().consumeMessage(1)).body ?? [];
    expect(inFlight?.MessageBody).toBe('in flight');
    await producer.publishMessage('queued', 'Q', props((p) => p.messageKey('key-1')));
    const due = Date.now() + 1500;
    await producer.publishMessage('delayed', '', props((p) => p.startDeliverTime(due)));
    const half = await client.getTransProducer('', topic, 'GID_tx').publishMessage('half', '', props((p) => p.transCheckImmunityTime(30)));

    for (let restart = 0; restart < 2; restart++) {
      await t.broker.close();
      t = await startTestBroker(options);
      running = t;
    }
    client = t.client();

    // The in-flight message kept its handle; the acked one stays acked; the queued one kept its fields.
    expect((await consumer().ackMessage([inFlight?.ReceiptHandle ?? ''])).code).toBe(204);
    const [queued] = (await consumer().consumeMessage(16)).body ?? [];
    expect(queued).toMatchObject({ MessageBody: 'queued', MessageTag: 'Q', MessageKey: 'key-1', ConsumedTimes: '1' });
    expect((await consumer().ackMessage([queued?.ReceiptHandle ?? ''])).code).toBe(204);
    // The delayed message is still delayed, then arrives on time.
    expect((await sdkError(consumer().consumeMessage(16))).Code).toBe('MessageNotExist');
    const [delayed] = (await consumer().consumeMessage(16, 5)).body ?? [];
    expect(delayed?.MessageBody).toBe('delayed');
    expect(Date.now() - due).toBeLessThan(500);
    // The half message is still hidden and its publish handle still commits it.
    expect((await client.getTransProducer('', topic, 'GID_tx').commit(half.body?.ReceiptHandle ?? '')).code).toBe(204);
    expect((await consumer().consumeMessage(16)).body?.map((m) => m.MessageBody)).toEqual(['half']);
    expect(t.broker.deadLetters()).toEqual([expect.objectContaining({ messageId: dead.body?.MessageId, consumedTimes: 1, body: 'poison' })]);
  });

  it('ignores a torn last journal line, and refuses a damaged one in the middle', () => {
    const dataDir = newDataDir();
    const line = JSON.stringify({ e: 'seq', next: 7 });
    writeFileSync(join(dataDir, 'journal.ndjson'), `${line}\n${line}\n{"e":"pub","m":{"ke`);
    expect(readJournal(dataDir)).toEqual([{ e: 'seq', next: 7 }, { e: 'seq', next: 7 }]);
    writeFileSync(join(dataDir, 'journal.ndjson'), `${line}\n{"e":"pu\n${line}\n`);
    expect(() => readJournal(dataDir)).toThrow(/line 2 is not valid JSON/);
  });
});
