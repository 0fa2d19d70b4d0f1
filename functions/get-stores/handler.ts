// GET /stores (API Gateway HTTP API, payload v2): the store picker.
import { httpHandler } from '../../shared/lambda/http-handler';
import { dynamoStoreRepository } from '../../shared/adapters/dynamodb/store-repository';
import { listStores } from '../../shared/use-cases/browse-stores';

const deps = { stores: dynamoStoreRepository };

export const handler = httpHandler({}, async () => ({ statusCode: 200, body: { items: await listStores(deps) } }));
