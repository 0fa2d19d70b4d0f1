import type { StockCacheInvalidator } from '../../ports/ordering';
import type { StoreCacheRefresher, StoreCatalog } from '../../ports/store-repository';
import type { MultiLevelCache } from './multi-level-cache';

const keys = {
  list: 'stores',
  store: (storeId: string) => `store:${storeId}`,
  products: (storeId: string) => `products:${storeId}`,
};

/**
 * Stores and products read through the multi-level cache (in-process, then Redis, then `source`). Edits call
 * `refreshStore`, which re-reads the store from the source and replaces the cached copies everywhere at once.
 */
export function cachedStoreCatalog(source: StoreCatalog, cache: MultiLevelCache): StoreCatalog & StoreCacheRefresher & StockCacheInvalidator {
  return {
    listStores: async () => (await cache.get(keys.list, () => source.listStores())) ?? [],
    getStore: (storeId) => cache.get(keys.store(storeId), () => source.getStore(storeId)),
    listProducts: async (storeId) => (await cache.get(keys.products(storeId), () => source.listProducts(storeId))) ?? [],
    async refreshStore(storeId) {
      const [store, products] = await Promise.all([source.getStore(storeId), source.listProducts(storeId)]);
      await cache.publish([
        { key: keys.store(storeId), value: store },
        { key: keys.products(storeId), value: products },
        // The list is rebuilt by the next reader rather than here: a scan per edit buys nothing.
        { key: keys.list, value: undefined },
      ]);
    },
    clearLocal: () => cache.clearLocal(),
    // An order moved stock: drop the product list everywhere (the next reader refills it from DynamoDB) rather than
    // read it back here, which would put two DynamoDB reads on every order's path.
    invalidateProducts: (storeId) => cache.publish([{ key: keys.products(storeId), value: undefined }]),
  };
}
