// PUT /admin/stores/{storeId} (API Gateway HTTP API, payload v2, X-Admin-Key): create or replace a store.
import { httpHandler } from '../../shared/lambda/http-handler';
import { adminAuth } from '../../shared/composition/admin-auth';
import { dispatchOutbox } from '../../shared/composition/outbox';
import { dynamoStoreRepository } from '../../shared/adapters/dynamodb/store-repository';
import { newOutboxEvent } from '../../shared/adapters/dynamodb/outbox';
import { storeCatalog } from '../../shared/composition/catalog';
import { systemClock } from '../../shared/adapters/system/clock';
import { putStore } from '../../shared/use-cases/catalog/edit-store';
import { storeBody, storeIdPath } from '../../shared/schemas/catalog';

const deps = {
  stores: dynamoStoreRepository,
  cache: storeCatalog,
  announce: (body: { storeId: string; updatedAt: string }) => newOutboxEvent('StoreUpdated', body, systemClock.now()),
  dispatch: dispatchOutbox,
  clock: systemClock,
};

export const handler = httpHandler({ path: storeIdPath, body: storeBody, auth: adminAuth }, async ({ path, body }) => ({
  statusCode: 200,
  body: await putStore(deps, { store: { id: path.storeId, ...body } }),
}));
