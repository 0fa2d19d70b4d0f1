import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { getItem } from '../support/dynamo';
import { overrideEnv } from '../support/env';
import { startPrivateMq, type PrivateMq } from '../support/private-mq';
import { privateTable } from '../support/private-table';
import type { OutboxEvent } from '../../shared/ports/outbox';
import type { MessageSource } from '../../shared/ports/messaging';

// A topic that was never created (or is misspelt in the configuration) on the MQ: the broker answers TopicNotExist,
// through the real SDK. The relay must hold that kind's events, in order, without parking them and without stopping
// the other kinds; once the topic exists they go out on the next run, with no one requeueing anything.
let mq: PrivateMq;
let outboxTable: Awaited<ReturnType<typeof privateTable>>;
let restoreEnv: () => void;
let relay: typeof import('../../functions/outbox-relay/handler').handler;
let userTopic: MessageSource;
let put: (event: OutboxEvent) => Promise<void>;
const missingTopic = `wx_shop_order_timeout_misspelt_${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  // The relay reads the whole outbox: this file's own, so that no other file's relay takes these events.
  outboxTable = await privateTable('outbox');
  mq = await startPrivateMq();
  restoreEnv = overrideEnv({ MQ_TOPIC_ORDER_TIMEOUT: missingTopic });
  relay = (await import('../../functions/outbox-relay/handler')).handler;
  const { rocketmqSource } = await import('../../shared/adapters/rocketmq/source');
  userTopic = rocketmqSource({ group: 'newUserCoupon', messages: ['UserRegistered'] });
  const { outboxPut } = await import('../../shared/adapters/dynamodb/outbox');
  const { dynamo } = await import('../../shared/adapters/dynamodb/client');
  put = async (event) => {
    const { TableName, Item } = outboxPut(event).Put;
    await dynamo().send(new PutCommand({ TableName, Item }));
  };
});
afterAll(async () => {
  await outboxTable.drop();
  restoreEnv();
  await mq.stop();
  mq.restoreEnv();
});

const event = (name: OutboxEvent['name'], body: Record<string, unknown>, secondsAgo: number, deliverAt?: Date): OutboxEvent => ({
  eventId: randomUUID(),
  name,
  body,
  createdAt: new Date(Date.now() - secondsAgo * 1000).toISOString(),
  deliverAt: deliverAt?.toISOString(),
});

async function usersDelivered(userIds: Set<string>): Promise<number> {
  let count = 0;
  const deadline = Date.now() + 3_000;
  while (Date.now() < deadline && count < userIds.size) {
    const batch = await userTopic.receive(16, 1);
    count += batch.filter((message) => userIds.has(JSON.parse(message.body).userId)).length;
    if (batch.length > 0) await userTopic.ack(batch.map((message) => message.receiptHandle));
  }
  return count;
}

it('holds the events of a topic the MQ does not have, sends the other kinds past them, and sends them once it exists', async () => {
  const now = new Date();
  // More held events than a page of the pending index (25), oldest first, then two of a kind whose topic exists.
  const timeouts = Array.from({ length: 30 }, (_, i) =>
    event('OrderPayTimeout', { orderId: `o${randomUUID().replace(/-/g, '').slice(0, 20)}`, userId: 'u-1', payDeadline: now.toISOString() }, 120 - i, new Date(now.getTime() + 60_000)),
  );
  const userIds = [`u-${randomUUID()}`, `u-${randomUUID()}`];
  const registrations = userIds.map((userId, i) => event('UserRegistered', { userId, openid: `openid-${userId}`, registeredAt: now.toISOString() }, 80 - i));
  for (const e of [...timeouts, ...registrations]) await put(e);

  const first = await relay();

  expect(first).toEqual({ published: 2, parked: 0, held: timeouts.length, failed: false });
  for (const e of timeouts) {
    const row = await getItem('outbox', { eventId: e.eventId });
    expect(row).toMatchObject({ pendingShard: 'pending' });
    expect(row?.parkedAt).toBeUndefined();
    expect(row?.publishedAt).toBeUndefined();
  }
  for (const e of registrations) expect(await getItem('outbox', { eventId: e.eventId })).toMatchObject({ publishedAt: expect.any(String) });
  expect(await usersDelivered(new Set(userIds))).toBe(2);

  // The operator creates the topic (the console's job; the broker's admin route here).
  const declared = await fetch(`${mq.broker.url}/__admin/topics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ instanceId: process.env.MQ_INSTANCE_ID ?? '', topic: missingTopic, kind: 'delayed' }),
  });
  expect(declared.status).toBe(201);

  const second = await relay();

  expect(second).toEqual({ published: timeouts.length, parked: 0, held: 0, failed: false });
  for (const e of timeouts) {
    const row = await getItem('outbox', { eventId: e.eventId });
    expect(row).toMatchObject({ publishedAt: expect.any(String) });
    expect(row?.pendingShard).toBeUndefined();
  }
});
