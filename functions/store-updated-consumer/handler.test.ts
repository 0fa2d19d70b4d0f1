import { sampleEvent, fakeContext } from '../../shared/testing/lambda';
import { redis } from '../../shared/adapters/redis/client';
import { storeCacheConfig } from '../../shared/composition/catalog';
import { handler } from './handler';

describe('storeUpdatedConsumer handler fed a batch (events/store-updated-consumer)', () => {
  it('refreshes the store in Redis from DynamoDB and bumps the cache version', async () => {
    const namespace = storeCacheConfig().STORE_CACHE_NAMESPACE;
    await redis.del(`${namespace}:store:store-001`);
    const versionBefore = Number((await redis.get(`${namespace}:version`)) ?? 0);

    const result = await handler(sampleEvent('store-updated-consumer/batch.json'), fakeContext());

    expect(result).toEqual({ batchItemFailures: [] });
    expect(JSON.parse((await redis.get(`${namespace}:store:store-001`)) as string).value).toMatchObject({ id: 'store-001', name: '静安寺店' });
    expect(Number(await redis.get(`${namespace}:version`))).toBeGreaterThan(versionBefore);
  });
});
