// PUT /admin/stores/{storeId}/products/{productId} (API Gateway HTTP API, payload v2, X-Admin-Key): create or replace a product.
import { httpHandler } from '../../shared/lambda/http-handler';
import { adminAuth } from '../../shared/composition/admin-auth';
import { dispatchOutbox } from '../../shared/composition/outbox';
import { dynamoStoreRepository } from '../../shared/adapters/dynamodb/store-repository';
import { newOutboxEvent } from '../../shared/adapters/dynamodb/outbox';
import { storeCatalog } from '../../shared/composition/catalog';
import { systemClock } from '../../shared/adapters/system/clock';
import { putProduct } from '../../shared/use-cases/catalog/edit-store';
import { productBody, productPath } from '../../shared/schemas/catalog';

const deps = {
  stores: dynamoStoreRepository,
  cache: storeCatalog,
  announce: (body: { storeId: string; productId?: string; updatedAt: string }) => newOutboxEvent('StoreUpdated', body, systemClock.now()),
  dispatch: dispatchOutbox,
  clock: systemClock,
};

export const handler = httpHandler({ path: productPath, body: productBody, auth: adminAuth }, async ({ path, body }) => {
  const { id, name, priceFen, stock } = await putProduct(deps, { product: { id: path.productId, storeId: path.storeId, ...body } });
  return { statusCode: 200, body: { id, name, priceFen, stock } };
});
