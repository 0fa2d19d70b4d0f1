import type { Product, Store } from '../domain/catalog/store';
import type { OutboxEvent } from '../ports/outbox';
import type { StoreRepository } from '../ports/store-repository';
import { StoreNotFoundError } from '../domain/errors';

/** StoreRepository in memory, for use-case tests; counts reads and keeps the announced events so tests can assert on them. */
export function inMemoryStoreRepository(stores: Store[] = [], products: Product[] = []) {
  const announced: OutboxEvent[] = [];
  const storeMap = new Map(stores.map((s) => [s.id, structuredClone(s)]));
  const productMap = new Map(products.map((p) => [`${p.storeId}/${p.id}`, structuredClone(p)]));
  const reads = { listStores: 0, getStore: 0, listProducts: 0 };
  const repository: StoreRepository = {
    async listStores() {
      reads.listStores++;
      return [...storeMap.values()].map((s) => structuredClone(s));
    },
    async getStore(storeId) {
      reads.getStore++;
      const store = storeMap.get(storeId);
      return store && structuredClone(store);
    },
    async putStore(store, announce) {
      storeMap.set(store.id, structuredClone(store));
      announced.push(announce);
    },
    async listProducts(storeId) {
      reads.listProducts++;
      return [...productMap.values()].filter((p) => p.storeId === storeId).map((p) => structuredClone(p));
    },
    async findProducts(storeId, productIds) {
      return productIds.flatMap((id) => {
        const product = productMap.get(`${storeId}/${id}`);
        return product ? [structuredClone(product)] : [];
      });
    },
    async putProduct(product, announce) {
      if (!storeMap.has(product.storeId)) throw new StoreNotFoundError(product.storeId);
      productMap.set(`${product.storeId}/${product.id}`, structuredClone(product));
      announced.push(announce);
    },
  };
  return { repository, reads, announced };
}
