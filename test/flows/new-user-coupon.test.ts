import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { startPrivateMq, type PrivateMq } from '../support/private-mq';
import { overrideEnv } from '../support/env';
import { pollOnce } from '../support/consumers';
import { queryByPartition } from '../support/dynamo';

// Exactly-once grant of the new-user coupon: the real consumer function, the real broker, Redis and DynamoDB Local.
let mq: PrivateMq;
let restoreEnv: () => void;
let consumer: typeof import('../../functions/new-user-coupon-consumer/handler').handler;
let publisher: typeof import('../../shared/adapters/rocketmq/publisher').rocketmqPublisher;
let redis: typeof import('../../shared/adapters/redis/client').redis;

const LEASE_SECONDS = 2;

beforeAll(async () => {
  mq = await startPrivateMq({ invisibilitySeconds: 1, maxDeliveries: 10 });
  restoreEnv = overrideEnv({ COUPON_GRANT_LEASE_SECONDS: String(LEASE_SECONDS) });
  consumer = (await import('../../functions/new-user-coupon-consumer/handler')).handler;
  publisher = (await import('../../shared/adapters/rocketmq/publisher')).rocketmqPublisher;
  redis = (await import('../../shared/adapters/redis/client')).redis;
});
afterAll(async () => {
  await mq.stop();
  mq.restoreEnv();
  restoreEnv();
});

const registered = (userId: string) => ({ userId, openid: `openid-${userId}`, registeredAt: new Date().toISOString() });
const couponsOf = (userId: string) => queryByPartition('userCoupons', 'userId', userId);
const inFlightOrWaiting = () => mq.broker.topics().reduce((n, t) => n + t.groups.reduce((m, g) => m + g.inFlight + g.waiting, 0), 0);

describe('new-user coupon, exactly once', () => {
  it('grants one coupon when the same UserRegistered is delivered 50 times concurrently', async () => {
    const userId = `u-fifty-${randomUUID()}`;
    const body = registered(userId);
    await Promise.all(Array.from({ length: 50 }, () => publisher.publish('UserRegistered', body)));

    const results = await Promise.all([pollOnce(consumer, 4), pollOnce(consumer, 4), pollOnce(consumer, 4), pollOnce(consumer, 4)]);

    const coupons = await couponsOf(userId);
    expect(coupons).toHaveLength(1);
    expect(coupons[0]).toMatchObject({ couponId: 'tpl-new-user', status: 'UNUSED' });
    expect(results.reduce((n, r) => n + r.received, 0)).toBeGreaterThanOrEqual(50);
    expect(inFlightOrWaiting()).toBe(0);
    expect(await redis.get(`wx-shop:coupon-grant:${userId}:tpl-new-user`)).toBe('done');
  });

  it('grants the coupon after redelivery when the consumer was killed between the Redis lease and the write', async () => {
    const userId = `u-killed-${randomUUID()}`;
    await publisher.publish('UserRegistered', registered(userId));

    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'fixtures', 'coupon-consumer-killed-after-lease.ts')], {
      env: { ...process.env, LOG_LEVEL: 'SILENT' },
      stdio: 'ignore',
    });
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_, s) => resolve(s)));

    expect(signal).toBe('SIGKILL');
    expect(await redis.get(`wx-shop:coupon-grant:${userId}:tpl-new-user`)).toMatch(/^lease:/);
    expect(await couponsOf(userId)).toHaveLength(0);

    await pollOnce(consumer, LEASE_SECONDS + 3);

    expect(await couponsOf(userId)).toHaveLength(1);
    expect(await redis.get(`wx-shop:coupon-grant:${userId}:tpl-new-user`)).toBe('done');
    expect(inFlightOrWaiting()).toBe(0);
  });

  it('grants once even when Redis forgot everything (flushed or evicted) and the message comes again', async () => {
    const userId = `u-flushed-${randomUUID()}`;
    await publisher.publish('UserRegistered', registered(userId));
    await pollOnce(consumer, 1);
    await redis.del(`wx-shop:coupon-grant:${userId}:tpl-new-user`);

    await publisher.publish('UserRegistered', registered(userId));
    await pollOnce(consumer, 1);

    expect(await couponsOf(userId)).toHaveLength(1);
  });
});
