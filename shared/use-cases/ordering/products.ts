import type { Product } from '../../domain/catalog/store';

export function productsById(products: readonly Product[]): Map<string, Product> {
  return new Map(products.map((product) => [product.id, product]));
}
