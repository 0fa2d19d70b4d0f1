// GET /stores/{storeId}/products (API Gateway HTTP API, payload v2): a store's products, from the multi-level cache.
import { httpHandler } from '../../shared/lambda/http-handler';
import { storeCatalog } from '../../shared/composition/catalog';
import { listStoreProducts } from '../../shared/use-cases/catalog/browse-stores';
import { storeIdPath } from '../../shared/schemas/catalog';

const deps = { stores: storeCatalog };

export const handler = httpHandler({ path: storeIdPath }, async ({ path }) => {
  const products = await listStoreProducts(deps, path);
  return { statusCode: 200, body: { items: products.map(({ id, name, priceFen, stock }) => ({ id, name, priceFen, stock })) } };
});
