import { StoreNotFoundError } from '../../domain/errors';
import { sortStoresForDisplay, type Product, type Store } from '../../domain/catalog/store';
import type { StoreCatalog } from '../../ports/store-repository';

export type BrowseStoresDeps = { stores: StoreCatalog };

/**
 * Lists every store for the store picker.
 *
 * Primary course:
 *  1. Read all stores (through the cache).
 *  2. Order them for display: open stores first, then by name.
 */
export async function listStores(deps: BrowseStoresDeps): Promise<Store[]> {
  return sortStoresForDisplay(await deps.stores.listStores());
}

/**
 * Returns one store.
 *
 * Fails with StoreNotFoundError when no store has that id.
 */
export async function getStore(deps: BrowseStoresDeps, input: { storeId: string }): Promise<Store> {
  const store = await deps.stores.getStore(input.storeId);
  if (!store) throw new StoreNotFoundError(input.storeId);
  return store;
}

/**
 * Lists a store's products, by name.
 *
 * Fails with StoreNotFoundError when no store has that id (an empty list would hide a wrong id).
 */
export async function listStoreProducts(deps: BrowseStoresDeps, input: { storeId: string }): Promise<Product[]> {
  const [store, products] = await Promise.all([deps.stores.getStore(input.storeId), deps.stores.listProducts(input.storeId)]);
  if (!store) throw new StoreNotFoundError(input.storeId);
  return [...products].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
}
