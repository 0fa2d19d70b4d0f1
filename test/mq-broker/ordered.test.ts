import { sdkError, sleep, startTestBroker, unique, type SdkError, type TestBroker } from './helpers';
import { props, type SdkClient, type SdkMessage } from './sdk';

// ordered invisibility 1 s (helpers FAST)
let t: TestBroker;
let client: SdkClient;
beforeAll(async () => {
  t = await startTestBroker();
  client = t.client();
});
afterAll(() => t.broker.close());

async function publishOrdered(topic: string, bodies: Array<[shard: string, body: string]>): Promise<void> {
  const producer = client.getProducer('', topic);
  for (const [shard, body] of bodies) await producer.publishMessage(body, '', props((p) => p.shardingKey(shard)));
}

const bodiesOf = (messages: SdkMessage[] | undefined) => (messages ?? []).map((m) => m.MessageBody);

describe('ordered consumption (trans=order)', () => {
  it('mixes partitions in one batch and holds a partition until every delivered message of it is acked', async () => {
    const topic = unique('T_order');
    await publishOrdered(topic, [['A', 'a0'], ['B', 'b0'], ['A', 'a1'], ['B', 'b1']]);
    const x = client.getConsumer('', topic, 'GID_order');
    const y = client.getConsumer('', topic, 'GID_order');

    const batch = (await x.consumeMessageOrderly(16)).body ?? [];
    expect(batch.map((m) => [m.ShardingKey, m.MessageBody])).toEqual([['A', 'a0'], ['B', 'b0'], ['A', 'a1'], ['B', 'b1']]);
    expect(Number(batch[0]?.NextConsumeTime) - Number(batch[0]?.FirstConsumeTime)).toBe(1000);
    await publishOrdered(topic, [['A', 'a2']]);
    expect((await sdkError(y.consumeMessageOrderly(16))).Code).toBe('MessageNotExist');

    const handle = (body: string) => batch.find((m) => m.MessageBody === body)?.ReceiptHandle ?? '';
    expect((await x.ackMessage([handle('a0')])).code).toBe(204);
    expect((await sdkError(y.consumeMessageOrderly(16))).Code).toBe('MessageNotExist');
    expect((await x.ackMessage([handle('a1')])).code).toBe(204);
    expect(bodiesOf((await y.consumeMessageOrderly(16)).body)).toEqual(['a2']);

    // B was never acked: the same messages come back, in order, once the ordered invisibility is over.
    const again = (await y.consumeMessageOrderly(16, 3)).body ?? [];
    expect(again.map((m) => [m.MessageBody, m.ConsumedTimes])).toEqual([['b0', '2'], ['b1', '2']]);
  });

  it('wakes a waiting ordered long poll when the ack unlocks its partition', async () => {
    const topic = unique('T_order_wake');
    await publishOrdered(topic, [['K', 'k0'], ['K', 'k1']]);
    const consumer = client.getConsumer('', topic, 'GID_order_wake');
    const [first] = (await consumer.consumeMessageOrderly(1)).body ?? [];
    const started = Date.now();
    const waiting = consumer.consumeMessageOrderly(1, 5);
    await sleep(200);
    await consumer.ackMessage([first?.ReceiptHandle ?? '']);
    expect(bodiesOf((await waiting).body)).toEqual(['k1']);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('keeps strict per-partition order with two concurrent consumers, one of which loses a batch', async () => {
    const topic = unique('T_order_race');
    const shards = ['s0', 's1', 's2'];
    const perShard = 8;
    const publishes: Array<[string, string]> = [];
    for (let i = 0; i < perShard; i++) for (const shard of shards) publishes.push([shard, `${shard}:${i}`]);
    await publishOrdered(topic, publishes);

    const acked = new Map(shards.map((s) => [s, [] as number[]]));
    const inFlight = new Map<string, { holder: string; until: number }>();
    const violations: string[] = [];
    let mixedBatch = false;
    let lostBatch = false;
    let redelivered = false;
    const deadline = Date.now() + 15_000;
    const ackedCount = () => [...acked.values()].reduce((n, list) => n + list.length, 0);

    const check = (holder: string, batch: SdkMessage[]) => {
      const deliveredAt = Number(batch[0]?.NextConsumeTime) - 1000;
      const byShard = new Map<string, number[]>();
      for (const m of batch) byShard.set(m.ShardingKey ?? '', [...(byShard.get(m.ShardingKey ?? '') ?? []), Number(m.MessageBody.split(':')[1])]);
      if (byShard.size > 1) mixedBatch = true;
      if (batch.some((m) => m.ConsumedTimes !== '1')) redelivered = true;
      for (const [shard, seqs] of byShard) {
        const other = inFlight.get(shard);
        if (other && other.until > deliveredAt) violations.push(`${holder} got ${shard} while ${other.holder} held it`);
        const next = acked.get(shard)?.length ?? 0;
        if (seqs.some((seq, i) => seq !== next + i)) violations.push(`${holder} got ${shard} ${seqs.join(',')} after ${next} acked`);
        inFlight.set(shard, { holder, until: Number(batch[0]?.NextConsumeTime) });
      }
      return byShard;
    };

    const run = async (holder: string) => {
      const consumer = client.getConsumer('', topic, 'GID_order_race');
      while (ackedCount() < shards.length * perShard && Date.now() < deadline) {
        let batch: SdkMessage[];
        try {
          batch = (await consumer.consumeMessageOrderly(4, 1)).body ?? [];
        } catch (error) {
          if ((error as SdkError).Code === 'MessageNotExist') continue;
          throw error;
        }
        const byShard = check(holder, batch);
        if (holder === 'X' && !lostBatch) {
          lostBatch = true; // this consumer "crashes": the batch is never acked
          continue;
        }
        await sleep(Math.random() * 20);
        // Release before the ack is sent: the broker may hand the partition on as soon as it has the ack.
        for (const shard of byShard.keys()) inFlight.delete(shard);
        for (const [shard, seqs] of byShard) acked.get(shard)?.push(...seqs);
        expect((await consumer.ackMessage(batch.map((m) => m.ReceiptHandle))).code).toBe(204);
      }
    };
    await Promise.all([run('X'), run('Y')]);

    expect(violations).toEqual([]);
    for (const shard of shards) expect(acked.get(shard)).toEqual([...Array(perShard).keys()]);
    expect({ mixedBatch, lostBatch, redelivered }).toEqual({ mixedBatch: true, lostBatch: true, redelivered: true });
  });
});
