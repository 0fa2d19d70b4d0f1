import type { Store } from '../../domain/catalog/store';
import { StoreNotFoundError } from '../../domain/errors';
import { inMemoryStoreRepository } from '../../testing/in-memory-store-repository';
import { getStore, listStores } from './browse-stores';

const store = (id: string, name: string, status: Store['status']): Store => ({
  id,
  name,
  address: `${name} address`,
  location: { lat: 31, lng: 121 },
  openHours: '08:00-22:00',
  status,
});

describe('browse stores', () => {
  it('lists open stores before closed ones, each group by name', async () => {
    const { repository } = inMemoryStoreRepository([store('c', 'C', 'CLOSED'), store('b', 'B', 'OPEN'), store('a', 'A', 'CLOSED'), store('d', 'A2', 'OPEN')]);

    const stores = await listStores({ stores: repository });

    expect(stores.map((s) => s.id)).toEqual(['d', 'b', 'a', 'c']);
  });

  it('returns an empty list when there are no stores', async () => {
    const { repository } = inMemoryStoreRepository();
    expect(await listStores({ stores: repository })).toEqual([]);
  });

  it('returns the store asked for', async () => {
    const { repository } = inMemoryStoreRepository([store('s1', 'One', 'OPEN'), store('s2', 'Two', 'OPEN')]);
    expect(await getStore({ stores: repository }, { storeId: 's2' })).toMatchObject({ id: 's2', name: 'Two' });
  });

  it('fails with STORE_NOT_FOUND for an unknown store', async () => {
    const { repository } = inMemoryStoreRepository([store('s1', 'One', 'OPEN')]);
    const attempt = getStore({ stores: repository }, { storeId: 'nope' });
    await expect(attempt).rejects.toBeInstanceOf(StoreNotFoundError);
    await expect(attempt).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
  });
});
