import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { getItem } from '../support/dynamo';
import { pastEvent as event, startRelayWorld } from '../support/relay-world';

// The scheduled relay against DynamoDB Local and a private broker through the real SDK: an MQ outage stops a run
// and leaves every event pending, but an event the MQ will never accept is parked, so the events behind it still go.
let world: Awaited<ReturnType<typeof startRelayWorld>>;

beforeAll(async () => {
  world = await startRelayWorld();
});
afterAll(() => world.close());

/** UserRegistered messages for `userId` that reach the coupon consumer's group within a few seconds. */
async function deliveredFor(userId: string): Promise<number> {
  let count = 0;
  const deadline = Date.now() + 3_000;
  while (Date.now() < deadline) {
    const batch = await world.userTopic.receive(16, 1);
    count += batch.filter((message) => JSON.parse(message.body).userId === userId).length;
    if (batch.length > 0) await world.userTopic.ack(batch.map((message) => message.receiptHandle));
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
    for (const e of [tooFarAhead, badBody, good]) await world.put(e);

    await world.mq.stop();
    expect(await world.relay()).toMatchObject({ published: 0, parked: 0, failed: true });
    for (const e of [tooFarAhead, badBody, good]) expect(await getItem('outbox', { eventId: e.eventId })).toMatchObject({ pendingShard: 'pending' });

    await world.mq.restart();
    const run = await world.relay();
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
    await world.relay();
    expect(await getItem('outbox', { eventId: tooFarAhead.eventId })).toEqual(parkedTooFar);
    expect(await getItem('outbox', { eventId: badBody.eventId })).toEqual(parkedBadBody);
    expect(await deliveredFor(userId)).toBe(1);
  });

  it('lists parked events for operators and hands one back to the relay, which sends it once the cause is fixed', async () => {
    const { listParkedEvents, requeueParkedEvent } = await import('../../shared/adapters/dynamodb/parked-events');
    const { main } = await import('../../scripts/outbox-parked');
    const { dynamo } = await import('../../shared/adapters/dynamodb/client');
    const { tableName } = await import('../../shared/config/tables');
    const userId = `u-${randomUUID()}`;
    // Parked for a body its contract refuses (no openid).
    const refused = event('UserRegistered', { userId, registeredAt: new Date().toISOString() }, 60);
    await world.put(refused);
    expect(await world.relay()).toMatchObject({ parked: 1, failed: false });
    // (The first test's two parked events are in this file's outbox too.)
    const listed = async () => (await listParkedEvents()).filter((e) => e.eventId === refused.eventId);
    expect(await listed()).toEqual([expect.objectContaining({ eventId: refused.eventId, name: 'UserRegistered', parkedReason: expect.stringContaining('openid') })]);

    // Handed back unfixed, it is tried once more and parked again.
    expect(await requeueParkedEvent(refused.eventId, new Date())).toBe(true);
    const requeued = await getItem('outbox', { eventId: refused.eventId });
    expect(requeued).toMatchObject({ pendingShard: 'pending', requeuedAt: expect.any(String) });
    expect(requeued?.parkedAt).toBeUndefined();
    expect(await requeueParkedEvent(refused.eventId, new Date())).toBe(false);
    expect(await world.relay()).toMatchObject({ published: 0, parked: 1 });

    // The operator fixes the stored body, then hands it back with the script: the relay sends it, once.
    await dynamo().send(
      new UpdateCommand({ TableName: tableName('outbox'), Key: { eventId: refused.eventId }, UpdateExpression: 'SET body.openid = :openid', ExpressionAttributeValues: { ':openid': `openid-${userId}` } }),
    );
    expect(await main(['--requeue', refused.eventId])).toBe(0);
    expect(await world.relay()).toMatchObject({ published: 1, parked: 0 });
    expect(await getItem('outbox', { eventId: refused.eventId })).toMatchObject({ publishedAt: expect.any(String) });
    expect(await deliveredFor(userId)).toBe(1);
    expect(await listed()).toEqual([]);
    // An id that is not parked (any more) is said so (exit 1); a flag without an id is a usage error (exit 2).
    expect(await main(['--requeue', refused.eventId])).toBe(1);
    expect(await main(['--requeue'])).toBe(2);
  });
});
