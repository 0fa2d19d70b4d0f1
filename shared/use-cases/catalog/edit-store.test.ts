import type { Store } from '../../domain/catalog/store';
import { StoreNotFoundError } from '../../domain/errors';
import type { OutboxEvent } from '../../ports/outbox';
import { inMemoryStoreRepository } from '../../testing/in-memory-store-repository';
import { putProduct, putStore, refreshStoreCache, type EditStoreDeps } from './edit-store';

const store: Store = { id: 's1', name: 'One', address: 'Road 1', location: { lat: 31, lng: 121 }, openHours: '08:00-22:00', status: 'OPEN' };
const fixedNow = new Date('2026-11-28T08:00:00.000Z');

function setup(options: { cacheFails?: boolean; dispatchFails?: boolean } = {}) {
  const { repository, announced } = inMemoryStoreRepository([store]);
  const steps: string[] = [];
  const deps: EditStoreDeps = {
    stores: {
      putStore: async (s, e) => (steps.push('db'), repository.putStore(s, e)),
      putProduct: async (p, e) => (steps.push('db'), repository.putProduct(p, e)),
    },
    cache: {
      refreshStore: async (storeId) => {
        steps.push(`cache:${storeId}`);
        if (options.cacheFails) throw new Error('redis down');
      },
    },
    announce: (body) => ({ eventId: `e${announced.length + 1}`, name: 'StoreUpdated', body, createdAt: fixedNow.toISOString() }),
    dispatch: async (event: OutboxEvent) => (steps.push(`publish:${event.eventId}`), !options.dispatchFails),
    clock: { now: () => fixedNow },
  };
  return { deps, repository, announced, steps };
}

describe('edit store (admin)', () => {
  it('writes DynamoDB with its StoreUpdated event, then refreshes the cache, then publishes', async () => {
    const { deps, repository, announced, steps } = setup();
    const edited = { ...store, name: 'One (renamed)' };

    await putStore(deps, { store: edited });

    expect(await repository.getStore('s1')).toEqual(edited);
    expect(announced).toEqual([{ eventId: 'e1', name: 'StoreUpdated', body: { storeId: 's1', updatedAt: fixedNow.toISOString() }, createdAt: fixedNow.toISOString() }]);
    expect(steps).toEqual(['db', 'cache:s1', 'publish:e1']);
  });

  it('still succeeds when Redis is down, leaving the repair to the StoreUpdated consumer', async () => {
    const { deps, repository, steps } = setup({ cacheFails: true });
    await expect(putStore(deps, { store: { ...store, status: 'CLOSED' } })).resolves.toMatchObject({ status: 'CLOSED' });
    expect((await repository.getStore('s1'))?.status).toBe('CLOSED');
    expect(steps).toEqual(['db', 'cache:s1', 'publish:e1']);
  });

  it('announces a product edit with its product id', async () => {
    const { deps, announced, repository } = setup();
    await putProduct(deps, { product: { id: 'p1', storeId: 's1', name: 'Tea', priceFen: 900, stock: 3 } });
    expect(announced[0]?.body).toEqual({ storeId: 's1', productId: 'p1', updatedAt: fixedNow.toISOString() });
    expect(await repository.listProducts('s1')).toEqual([{ id: 'p1', storeId: 's1', name: 'Tea', priceFen: 900, stock: 3 }]);
  });

  it('refuses a product of an unknown store and touches neither the cache nor the MQ', async () => {
    const { deps, steps } = setup();
    await expect(putProduct(deps, { product: { id: 'p1', storeId: 'nope', name: 'Tea', priceFen: 900, stock: 3 } })).rejects.toBeInstanceOf(StoreNotFoundError);
    expect(steps).toEqual(['db']);
  });
});

describe('refresh store cache (StoreUpdated consumer)', () => {
  it('drops the in-process copies and refreshes Redis; a Redis failure is thrown so the message is redelivered', async () => {
    const calls: string[] = [];
    const cache = { clearLocal: () => calls.push('clear'), refreshStore: async () => (calls.push('refresh'), Promise.reject(new Error('redis down'))) };
    await expect(refreshStoreCache({ cache }, { storeId: 's1' })).rejects.toThrow('redis down');
    expect(calls).toEqual(['clear', 'refresh']);
  });
});
