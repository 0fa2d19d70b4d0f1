import { StoreNotFoundError } from '../domain/errors';
import { sortStoresForDisplay, type Store } from '../domain/store';
import type { StoreRepository } from '../ports/store-repository';

export type BrowseStoresDeps = { stores: Pick<StoreRepository, 'listStores' | 'getStore'> };

/**
 * Lists every store for the store picker.
 *
 * Primary course:
 *  1. Read all stores.
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
