// GET /stores/{storeId} (API Gateway HTTP API, payload v2): one store, served from the multi-level cache.
import { httpHandler } from '../../shared/lambda/http-handler';
import { storeCatalog } from '../../shared/composition/catalog';
import { getStore } from '../../shared/use-cases/catalog/browse-stores';
import { storeIdPath } from '../../shared/schemas/catalog';

const deps = { stores: storeCatalog };

export const handler = httpHandler({ path: storeIdPath }, async ({ path }) => ({ statusCode: 200, body: await getStore(deps, path) }));
