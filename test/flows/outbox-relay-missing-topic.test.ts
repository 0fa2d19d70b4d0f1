import { randomUUID } from 'node:crypto';
import { getItem } from '../support/dynamo';
import { pastEvent as event, startRelayWorld } from '../support/relay-world';

// A topic that was never created (or is misspelt in the configuration) on the MQ: the broker answers TopicNotExist,
// through the real SDK. The relay must hold that kind's events, in order, without parking them and without stopping
// the other kinds; once the topic exists they go out on the next run, with no one requeueing anything.
const missingTopic = `wx_shop_order_timeout_misspelt_${randomUUID().slice(0, 8)}`;
let world: Awaited<ReturnType<typeof startRelayWorld>>;

beforeAll(async () => {
  world = await startRelayWorld({ MQ_TOPIC_ORDER_TIMEOUT: missingTopic });
});
afterAll(() => world.close());

async function usersDelivered(userIds: Set<string>): Promise<number> {
  let count = 0;
  const deadline = Date.now() + 3_000;
  while (Date.now() < deadline && count < userIds.size) {
    const batch = await world.userTopic.receive(16, 1);
    count += batch.filter((message) => userIds.has(JSON.parse(message.body).userId)).length;
    if (batch.length > 0) await world.userTopic.ack(batch.map((message) => message.receiptHandle));
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
  for (const e of [...timeouts, ...registrations]) await world.put(e);

  const first = await world.relay();

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
  const declared = await fetch(`${world.mq.broker.url}/__admin/topics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ instanceId: process.env.MQ_INSTANCE_ID ?? '', topic: missingTopic, kind: 'delayed' }),
  });
  expect(declared.status).toBe(201);

  const second = await world.relay();

  expect(second).toEqual({ published: timeouts.length, parked: 0, held: 0, failed: false });
  for (const e of timeouts) {
    const row = await getItem('outbox', { eventId: e.eventId });
    expect(row).toMatchObject({ publishedAt: expect.any(String) });
    expect(row?.pendingShard).toBeUndefined();
  }
});
