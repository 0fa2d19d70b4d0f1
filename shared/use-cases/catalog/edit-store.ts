import type { Product, Store } from '../../domain/catalog/store';
import type { Clock } from '../../ports/clock';
import type { OutboxEvent } from '../../ports/outbox';
import type { StoreCacheRefresher, StoreRepository } from '../../ports/store-repository';
import { describeError, logger } from '../../logging/logger';

export type EditStoreDeps = {
  stores: Pick<StoreRepository, 'putStore' | 'putProduct'>;
  cache: Pick<StoreCacheRefresher, 'refreshStore'>;
  /** Builds the StoreUpdated outbox event (ids and time come from outside, so tests control them). */
  announce: (body: { storeId: string; productId?: string; updatedAt: string }) => OutboxEvent;
  /** Publishes an outbox event now; never throws (a failure leaves it to the relay). */
  dispatch: (event: OutboxEvent) => Promise<boolean>;
  clock: Clock;
};

/** Redis failing after DynamoDB took the edit is not the operator's problem: the StoreUpdated consumer repairs it. */
async function refreshCache(deps: EditStoreDeps, storeId: string): Promise<void> {
  try {
    await deps.cache.refreshStore(storeId);
  } catch (error) {
    logger.warn('cache refresh after an edit failed; the StoreUpdated consumer will repair it', { storeId, ...describeError(error) });
  }
}

/**
 * Creates or replaces a store (admin).
 *
 * Primary course:
 *  1. Write the store to DynamoDB together with a StoreUpdated outbox event (one transaction).
 *  2. Refresh Redis from DynamoDB and bump the cache version, so every container drops its copy within the bound.
 *  3. Publish StoreUpdated; if the MQ is down the outbox relay publishes it later.
 */
export async function putStore(deps: EditStoreDeps, input: { store: Store }): Promise<Store> {
  const event = deps.announce({ storeId: input.store.id, updatedAt: deps.clock.now().toISOString() });
  await deps.stores.putStore(input.store, event);
  await refreshCache(deps, input.store.id);
  await deps.dispatch(event);
  return input.store;
}

/**
 * Creates or replaces a product of a store (admin). Same steps as putStore.
 *
 * Fails with StoreNotFoundError when the store does not exist; nothing is written then.
 */
export async function putProduct(deps: EditStoreDeps, input: { product: Product }): Promise<Product> {
  const { product } = input;
  const event = deps.announce({ storeId: product.storeId, productId: product.id, updatedAt: deps.clock.now().toISOString() });
  await deps.stores.putProduct(product, event);
  await refreshCache(deps, product.storeId);
  await deps.dispatch(event);
  return product;
}

export type RefreshStoreCacheDeps = { cache: StoreCacheRefresher };

/**
 * Consumer of StoreUpdated: repairs Redis from DynamoDB (an edit's own refresh may have failed) and drops this
 * container's in-process copies. Throws while Redis is down, so the message is redelivered until it can repair.
 */
export async function refreshStoreCache(deps: RefreshStoreCacheDeps, input: { storeId: string }): Promise<void> {
  deps.cache.clearLocal();
  await deps.cache.refreshStore(input.storeId);
}
