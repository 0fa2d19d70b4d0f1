// GET /admin/orders (API Gateway HTTP API, payload v2, X-Admin-Key): every shopper's orders, newest first, filtered
// by status, store and creation time, a page at a time.
import { httpHandler } from '../../shared/lambda/http-handler';
import { adminAuth } from '../../shared/composition/admin-auth';
import { dynamoOrderSearch } from '../../shared/adapters/dynamodb/order-search';
import { searchOrders } from '../../shared/use-cases/admin/search-orders';
import { adminListOrdersQuery } from './schema';

const deps = { orders: dynamoOrderSearch };

export const handler = httpHandler({ auth: adminAuth, query: adminListOrdersQuery }, async ({ query }) => ({
  statusCode: 200,
  body: await searchOrders(deps, query),
}));
