import { randomUUID } from 'node:crypto';
import { newLoginCode, startApi } from '../support/api';
import { pollOnce } from '../support/consumers';
import { outboxEventsFor, queryByPartition } from '../support/dynamo';
import { startPrivateMq, type PrivateMq } from '../support/private-mq';
import { privateTable } from '../support/private-table';

// MQ down during a first login: the login succeeds, the UserRegistered event waits in the outbox, and once the MQ
// is back the relay publishes it and exactly one coupon arrives. The outbox is this file's own: the relay reads it
// whole, and another file's relay must not take this event (nor this one take theirs).
let mq: PrivateMq;
let api: Awaited<ReturnType<typeof startApi>>;
let consumer: typeof import('../../functions/new-user-coupon-consumer/handler').handler;
let relay: typeof import('../../functions/outbox-relay/handler').handler;
let outboxTable: Awaited<ReturnType<typeof privateTable>>;

beforeAll(async () => {
  outboxTable = await privateTable('outbox');
  mq = await startPrivateMq();
  api = await startApi();
  consumer = (await import('../../functions/new-user-coupon-consumer/handler')).handler;
  relay = (await import('../../functions/outbox-relay/handler')).handler;
});
afterAll(async () => {
  await api.close();
  await mq.stop();
  mq.restoreEnv();
  await outboxTable.drop();
});

describe('first login with the MQ stopped', () => {
  it('answers 200, keeps UserRegistered in the outbox, and delivers exactly one coupon once the MQ is back', async () => {
    await mq.stop();
    const { code, openid } = await newLoginCode(`mq-down-${randomUUID()}`);

    const login = await api.call('POST', '/auth/login', { body: { code } });

    expect(login.status).toBe(200);
    expect(login.body.user.isNew).toBe(true);
    const [pending] = await outboxEventsFor(openid);
    expect(pending).toMatchObject({ pendingShard: 'pending', body: { userId: login.body.user.id } });

    expect(await relay()).toMatchObject({ published: 0, failed: true });

    await mq.restart();
    // The outbox is shared with the other test files: a run may also meet their events, and under load one publish
    // may time out (the run stops then, as it should); a later run carries on.
    let relayed = await relay();
    for (let run = 1; run < 3 && relayed.failed; run += 1) relayed = await relay();
    expect(relayed).toMatchObject({ failed: false });
    const [published] = await outboxEventsFor(openid);
    expect(published?.pendingShard).toBeUndefined();
    expect(published?.publishedAt).toEqual(expect.any(String));

    await pollOnce(consumer, 2);
    await relay();
    await pollOnce(consumer, 1);
    expect(await queryByPartition('userCoupons', 'userId', login.body.user.id)).toHaveLength(1);
  });
});
