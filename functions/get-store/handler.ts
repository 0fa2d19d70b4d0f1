// GET /stores/{storeId} (API Gateway HTTP API, payload v2): one store.
import { httpHandler } from '../../shared/lambda/http-handler';
import { dynamoStoreRepository } from '../../shared/adapters/dynamodb/store-repository';
import { getStore } from '../../shared/use-cases/browse-stores';
import { getStorePath } from './schema';

const deps = { stores: dynamoStoreRepository };

export const handler = httpHandler({ path: getStorePath }, async ({ path }) => ({ statusCode: 200, body: await getStore(deps, path) }));
