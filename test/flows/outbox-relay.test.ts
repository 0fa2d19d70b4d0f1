import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { getItem } from '../support/dynamo';
import { startPrivateMq, type PrivateMq } from '../support/private-mq';
import { privateTable } from '../support/private-table';
import type { OutboxEvent } from '../../shared/ports/outbox';
import type { MessageSource } from '../../shared/ports/messaging';

// The scheduled relay against DynamoDB Local and a private broker through the real SDK: an MQ outage stops a run
// and leaves every event pending, but an event the MQ will never accept is parked, so the events behind it still go.
let mq: PrivateMq;
let outboxTable: Awaited<ReturnType<typeof privateTable>>;
let relay: typeof import('../../functions/outbox-relay/handler').handler;
let userTopic: MessageSource;
let put: (event: OutboxEvent) => Promise<void>;

beforeAll(async () => {
  // The relay reads the whole outbox: this file's own, so that no other file's relay takes these events.
  outboxTable = await privateTable('outbox');
  mq = await startPrivateMq();
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
  await mq.stop();
  mq.restoreEnv();
});

/** An event written a minute ago (`secondsAgo`), so past the relay's grace period. */
function event(name: OutboxEvent['name'], body: Record<string, unknown>, secondsAgo: number, deliverAt?: Date): OutboxEvent {
  return { eventId: randomUUID(), name, body, createdAt: new Date(Date.now() - secondsAgo * 1000).toISOString(), deliverAt: deliverAt?.toISOString() };
}

/** UserRegistered messages for `userId` that reach the coupon consumer's group within a few seconds. */
async function deliveredFor(userId: string): Promise<number> {
  let count = 0;
  const deadline = Date.now() + 3_000;
  while (Date.now() < deadline) {
    const batch = await userTopic.receive(16, 1);
    count += batch.filter((message) => JSON.parse(message.body).userId === userId).length;
    if (batch.length > 0) await userTopic.ack(batch.map((message) => message.receiptHandle));
  }
  return count;
}

describe('the outbox relay', () => {
  it('parks events the MQ refuses, publishes the ones behind them, and stops (parking nothing) while the MQ is down', async () => {
    const now = new Date();
    // Oldest first: two events that can never be published, then a good one behind them.
    const tooFarAhead = event('OrderPayTimeout', { orderId: `o-${randomUUID()}`, userId: 'u-1', payDeadline: now.toISOString() }, 90, new Date(now.getTime() + 41 * 24 * 3600 * 1000));
    const badBody = event('UserRegistered', { userId: `u-${randomUUID()}`, registeredAt: now.toISOString() }, 80);
    const userId = `u-${randomUUID()}`;
    const good = event('UserRegistered', { userId, openid: `openid-${userId}`, registeredAt: now.toISOString() }, 70);
    for (const e of [tooFarAhead, badBody, good]) await put(e);

    await mq.stop();
    expect(await relay()).toMatchObject({ published: 0, parked: 0, failed: true });
    for (const e of [tooFarAhead, badBody, good]) expect(await getItem('outbox', { eventId: e.eventId })).toMatchObject({ pendingShard: 'pending' });

    await mq.restart();
    const run = await relay();
    expect(run).toEqual({ published: 1, parked: 2, held: 0, failed: false });

    const parkedTooFar = await getItem('outbox', { eventId: tooFarAhead.eventId });
    expect(parkedTooFar?.pendingShard).toBeUndefined();
    expect(parkedTooFar?.publishedAt).toBeUndefined();
    expect(parkedTooFar?.parkedReason).toContain('InvalidArgument');
    const parkedBadBody = await getItem('outbox', { eventId: badBody.eventId });
    expect(parkedBadBody).toMatchObject({ parkedAt: expect.any(String), parkedReason: expect.stringContaining('openid') });
    expect(parkedBadBody?.pendingShard).toBeUndefined();
    const published = await getItem('outbox', { eventId: good.eventId });
    expect(published).toMatchObject({ publishedAt: expect.any(String) });
    expect(published?.pendingShard).toBeUndefined();
    expect(published?.parkedAt).toBeUndefined();

    // A second run tries none of them again: the parked ones keep their first parking, the good one went out once.
    await relay();
    expect(await getItem('outbox', { eventId: tooFarAhead.eventId })).toEqual(parkedTooFar);
    expect(await getItem('outbox', { eventId: badBody.eventId })).toEqual(parkedBadBody);
    expect(await deliveredFor(userId)).toBe(1);
  });
});
