import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { redisIdempotencyLedger } from '../../shared/adapters/redis/idempotency-ledger';
import { redisClient } from '../store-cache/helpers';

// The ledger alone against real Redis: in the consumer flows DynamoDB's conditional write absorbs whatever the
// fast path lets through, so only here does a lease that is not exclusive show.
const LEASE_SECONDS = 1;

let redis: Redis;
beforeAll(() => {
  redis = redisClient(process.env.REDIS_URL as string);
});
afterAll(() => redis.quit());

const newLedger = () => {
  const prefix = `test:ledger:${randomUUID()}`;
  return { prefix, ledger: redisIdempotencyLedger(redis, { prefix, leaseSeconds: LEASE_SECONDS, doneSeconds: 60 }) };
};

describe('Redis idempotency ledger', () => {
  it('gives the lease to one caller: a second begin while it is held is told IN_PROGRESS', async () => {
    const { prefix, ledger } = newLedger();

    expect(await ledger.begin('grant-1')).toBe('ACQUIRED');
    const lease = await redis.get(`${prefix}:grant-1`);
    expect(await ledger.begin('grant-1')).toBe('IN_PROGRESS');

    expect(await redis.get(`${prefix}:grant-1`)).toBe(lease);
    expect(await redis.pttl(`${prefix}:grant-1`)).toBeLessThanOrEqual(LEASE_SECONDS * 1000);
  });

  it('lets only one of many concurrent callers take the lease', async () => {
    const { ledger } = newLedger();
    const answers = await Promise.all(Array.from({ length: 20 }, () => ledger.begin('grant-2')));
    expect(answers.filter((a) => a === 'ACQUIRED')).toHaveLength(1);
    expect(answers.filter((a) => a === 'IN_PROGRESS')).toHaveLength(19);
  });

  it('answers DONE after complete, and keeps the done mark through later begins', async () => {
    const { prefix, ledger } = newLedger();
    expect(await ledger.begin('grant-3')).toBe('ACQUIRED');
    await ledger.complete('grant-3');

    expect(await ledger.begin('grant-3')).toBe('DONE');
    expect(await ledger.begin('grant-3')).toBe('DONE');
    expect(await redis.get(`${prefix}:grant-3`)).toBe('done');
  });

  it('hands the lease to the next caller once it expires (the holder crashed before complete)', async () => {
    const { ledger } = newLedger();
    expect(await ledger.begin('grant-4')).toBe('ACQUIRED');
    await new Promise((r) => setTimeout(r, LEASE_SECONDS * 1000 + 100));
    expect(await ledger.begin('grant-4')).toBe('ACQUIRED');
  });

});
