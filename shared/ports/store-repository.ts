import type { Product, Store } from '../domain/store';

/** Where stores and their products are kept (DynamoDB in every environment). */
export interface StoreRepository {
  listStores(): Promise<Store[]>;
  getStore(storeId: string): Promise<Store | undefined>;
  putStore(store: Store): Promise<void>;
  listProducts(storeId: string): Promise<Product[]>;
  putProduct(product: Product): Promise<void>;
}
