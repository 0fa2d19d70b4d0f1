import { randomUUID } from 'node:crypto';
import { startRedis } from '../../local/services/redis';
import type { RunningService } from '../../local/services/child-process';
import { newLoginCode, startApi } from '../support/api';
import { overrideEnv } from '../support/env';
import { pollOnce } from '../support/consumers';
import { queryByPartition } from '../support/dynamo';
import { startPrivateMq, type PrivateMq } from '../support/private-mq';

// Redis is a fast path only: with it stopped, login, sessions, store reads and the coupon grant still work.
let redisServer: RunningService;
let mq: PrivateMq;
let restoreEnv: () => void;
let api: Awaited<ReturnType<typeof startApi>>;
let consumer: typeof import('../../functions/new-user-coupon-consumer/handler').handler;
let publisher: typeof import('../../shared/adapters/rocketmq/publisher').rocketmqPublisher;

beforeAll(async () => {
  redisServer = await startRedis();
  restoreEnv = overrideEnv({ REDIS_URL: redisServer.url });
  mq = await startPrivateMq({ invisibilitySeconds: 1 });
  api = await startApi();
  consumer = (await import('../../functions/new-user-coupon-consumer/handler')).handler;
  publisher = (await import('../../shared/adapters/rocketmq/publisher')).rocketmqPublisher;
  await redisServer.stop();
});
afterAll(async () => {
  await api.close();
  await mq.stop();
  mq.restoreEnv();
  restoreEnv();
});

describe('with Redis stopped', () => {
  it('logs a first-time user in, keeps the session working, and grants the coupon exactly once', async () => {
    const { code } = await newLoginCode(`redis-down-${randomUUID()}`);
    const started = Date.now();
    const login = await api.call('POST', '/auth/login', { body: { code } });
    const loginMs = Date.now() - started;

    expect(login.status).toBe(200);
    expect(login.body.user.isNew).toBe(true);
    expect(loginMs).toBeLessThan(2_000);

    // The UserRegistered event went out at login; deliver it a second time, as an at-least-once MQ may.
    const userId = login.body.user.id as string;
    await publisher.publish('UserRegistered', { userId, openid: 'duplicate-delivery', registeredAt: new Date().toISOString() });
    await pollOnce(consumer, 2);

    expect(await queryByPartition('userCoupons', 'userId', userId)).toHaveLength(1);
    const coupons = await api.call('GET', '/me/coupons', { token: login.body.token });
    expect(coupons.status).toBe(200);
    expect(coupons.body.items).toHaveLength(1);
  });

  it('still answers GET /stores with correct data', async () => {
    const { status, body } = await api.call('GET', '/stores');
    expect(status).toBe(200);
    expect(body.items.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining(['store-001', 'store-002', 'store-003']));
  });
});
