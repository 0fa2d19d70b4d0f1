// `npx tsx bench/mq-broker.ts`: the local RocketMQ HTTP broker driven through the real SDK, in one process.
// Prints publish->consume->ack throughput (in memory and with the journal) and delayed-delivery lateness.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMqBroker, type MqBroker } from '../local/mq-broker';
import { MQClient, props, type SdkClient, type SdkMessage } from '../test/mq-broker/sdk';
import { publishFigures } from './support/figures';

const MESSAGES = 2000;
const PUBLISHERS = 4;
const CONSUMERS = 4;
const BATCH = 16;
const DELAYED = 200;

const ACCESS = { id: 'bench-ak', secret: 'bench-sk' };
const quiet = () => {};
// The bench makes up its topic names, so the broker creates them on first use (MQ_AUTO_CREATE_TOPICS).
const topology = { instances: [''], autoCreateTopics: true };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${(sorted[sorted.length - 1] ?? NaN).toFixed(1)} ms`;
};

/** Consumes (long polling, batches of 16) and acks until `done()` says stop; calls `onMessage` per message. */
async function consumeLoop(client: SdkClient, topic: string, done: () => boolean, onMessage: (m: SdkMessage, at: number) => void): Promise<void> {
  const consumer = client.getConsumer('', topic, 'GID_bench');
  while (!done()) {
    try {
      const { body = [] } = await consumer.consumeMessage(BATCH, 1);
      const at = Date.now();
      for (const message of body) onMessage(message, at);
      const ack = await consumer.ackMessage(body.map((m) => m.ReceiptHandle));
      if (ack.code !== 204) throw new Error(`ack failed: ${JSON.stringify(ack.body)}`);
    } catch (error) {
      if ((error as { Code?: string }).Code !== 'MessageNotExist') throw error;
    }
  }
}

/** Returns messages/s. */
async function throughput(broker: MqBroker, label: string): Promise<number> {
  const client = new MQClient(broker.url, ACCESS.id, ACCESS.secret);
  const topic = `T_bench_${label.replace(/\W/g, '_')}`;
  const seen = new Set<string>();
  const publishLatencies: number[] = [];
  const endToEnd: number[] = [];
  const started = performance.now();
  const publishers = Array.from({ length: PUBLISHERS }, async (_, p) => {
    const producer = client.getProducer('', topic);
    for (let i = p; i < MESSAGES; i += PUBLISHERS) {
      const before = performance.now();
      const result = await producer.publishMessage(JSON.stringify({ i, sentAt: Date.now() }), 'bench');
      publishLatencies.push(performance.now() - before);
      if (result.code !== 201) throw new Error(`publish failed with ${result.code}`);
    }
  });
  const consumers = Array.from({ length: CONSUMERS }, () =>
    consumeLoop(client, topic, () => seen.size >= MESSAGES, (m, at) => {
      seen.add(m.MessageId);
      endToEnd.push(at - (JSON.parse(m.MessageBody) as { sentAt: number }).sentAt);
    }),
  );
  await Promise.all([...publishers, ...consumers]);
  const seconds = (performance.now() - started) / 1000;
  console.log(`throughput (${label}): ${MESSAGES} messages published, consumed and acked in ${seconds.toFixed(2)} s = ${Math.round(MESSAGES / seconds)} messages/s`);
  console.log(`  publish latency: ${summary(publishLatencies)}; publish -> receive: ${summary(endToEnd)}`);
  return MESSAGES / seconds;
}

/** RocketMQ's e2e delay test accepts delivery within ±5 s of the scheduled time. */
const LATENESS_TOLERANCE_MS = 5000;

/** Returns the p99 lateness in ms and how many came early. */
async function delayedLateness(broker: MqBroker): Promise<{ p99: number; early: number }> {
  const client = new MQClient(broker.url, ACCESS.id, ACCESS.secret);
  const topic = 'T_bench_delayed';
  const lateness: number[] = [];
  const producer = client.getProducer('', topic);
  const consumers = Array.from({ length: CONSUMERS }, () =>
    consumeLoop(client, topic, () => lateness.length >= DELAYED, (m, at) => lateness.push(at - (m.StartDeliverTime ?? NaN))),
  );
  for (let i = 0; i < DELAYED; i++) {
    const due = Date.now() + 1000 + Math.floor(Math.random() * 2000);
    await producer.publishMessage(`delayed ${i}`, '', props((p) => p.startDeliverTime(due)));
  }
  await Promise.all(consumers);
  const early = lateness.filter((ms) => ms < 0).length;
  console.log(`delayed delivery: ${DELAYED} messages due in 1-3 s; lateness (receive - __STARTDELIVERTIME): ${summary(lateness)}; early: ${early}`);
  return { p99: percentile([...lateness].sort((a, b) => a - b), 99), early };
}

async function main(): Promise<void> {
  console.log(`mq-broker bench: ${PUBLISHERS} publishers, ${CONSUMERS} consumers, batches of ${BATCH}, real @aliyunmq/mq-http-sdk over 127.0.0.1`);
  const memory = await startMqBroker({ accessKeys: { [ACCESS.id]: ACCESS.secret }, topology, log: quiet });
  const inMemory = await throughput(memory, 'in memory');
  const delayed = await delayedLateness(memory);
  await memory.close();

  const dataDir = mkdtempSync(join(tmpdir(), 'mq-broker-bench-'));
  try {
    const journaled = await startMqBroker({ accessKeys: { [ACCESS.id]: ACCESS.secret }, topology, log: quiet, dataDir });
    const journal = await throughput(journaled, 'journal, fdatasync per publish');
    await journaled.close();
    console.log(`ratios: journal / in-memory throughput ${(journal / inMemory).toFixed(2)}; p99 lateness / ${LATENESS_TOLERANCE_MS} ms tolerance ${(delayed.p99 / LATENESS_TOLERANCE_MS).toFixed(4)}`);
    const figure = (name: string, value: string, comparison?: string) => ({ benchmark: 'mq-broker', figure: name, value, ...(comparison ? { comparison } : {}) });
    publishFigures({
      figures: [
        figure('throughput in memory', `${Math.round(inMemory)} messages/s`),
        figure('throughput with the journal (fdatasync per publish)', `${Math.round(journal)} messages/s`, `${(journal / inMemory).toFixed(2)}x in memory`),
        figure('delayed delivery lateness p99', `${delayed.p99.toFixed(1)} ms`, `${(delayed.p99 / LATENESS_TOLERANCE_MS).toFixed(4)}x the 5 s tolerance; ${delayed.early} early`),
      ],
    });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
