import type { Product, Store } from '../domain/catalog/store';
import type { OutboxEvent } from './outbox';

/** Reads of stores and products: the repository itself, or the multi-level cache in front of it. */
export interface StoreCatalog {
  listStores(): Promise<Store[]>;
  getStore(storeId: string): Promise<Store | undefined>;
  listProducts(storeId: string): Promise<Product[]>;
}

/** Where stores and their products are kept (DynamoDB in every environment). */
export interface StoreRepository extends StoreCatalog {
  /** Those of `productIds` the store sells, read consistently in one request whatever the size of its menu. */
  findProducts(storeId: string, productIds: readonly string[]): Promise<Product[]>;
  /** Writes the whole store and, in the same transaction, the outbox event announcing it. */
  putStore(store: Store, announce: OutboxEvent): Promise<void>;
  /** Writes a product and its announcement atomically; throws StoreNotFoundError when the store does not exist. */
  putProduct(product: Product, announce: OutboxEvent): Promise<void>;
}

/** Brings the shared cache in line with the repository for one store, after an edit. */
export interface StoreCacheRefresher {
  /** Re-reads the store and its products from DynamoDB and replaces the cached copies; throws when Redis is down. */
  refreshStore(storeId: string): Promise<void>;
  /** Drops this container's in-process copies. */
  clearLocal(): void;
}
