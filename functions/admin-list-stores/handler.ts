// GET /admin/stores (API Gateway HTTP API, payload v2, X-Admin-Key): every store, closed ones included, read from
// DynamoDB rather than the shoppers' cache, so that an operator sees an edit at once.
import { httpHandler } from '../../shared/lambda/http-handler';
import { adminAuth } from '../../shared/composition/admin-auth';
import { dynamoStoreRepository } from '../../shared/adapters/dynamodb/store-repository';
import { listStores } from '../../shared/use-cases/catalog/browse-stores';

const deps = { stores: dynamoStoreRepository };

export const handler = httpHandler({ auth: adminAuth }, async () => ({ statusCode: 200, body: { items: await listStores(deps) } }));
