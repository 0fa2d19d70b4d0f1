// GET /stores (API Gateway HTTP API, payload v2): the store picker, served from the multi-level cache.
import { httpHandler } from '../../shared/lambda/http-handler';
import { storeCatalog } from '../../shared/composition/catalog';
import { listStores } from '../../shared/use-cases/catalog/browse-stores';

const deps = { stores: storeCatalog };

export const handler = httpHandler({}, async () => ({ statusCode: 200, body: { items: await listStores(deps) } }));
