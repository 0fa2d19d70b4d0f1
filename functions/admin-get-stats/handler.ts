// GET /admin/stats (API Gateway HTTP API, payload v2, X-Admin-Key): orders created, paid, cancelled and refunded, and
// revenue, per hour of [from, to), from the counters the order stats consumer keeps.
import { httpHandler } from '../../shared/lambda/http-handler';
import { adminAuth } from '../../shared/composition/admin-auth';
import { dynamoOrderStats } from '../../shared/adapters/dynamodb/order-stats';
import { hourlyStats } from '../../shared/use-cases/admin/hourly-stats';
import { statsQuery } from './schema';

const deps = { stats: dynamoOrderStats };

export const handler = httpHandler({ auth: adminAuth, query: statsQuery }, async ({ query }) => ({
  statusCode: 200,
  body: await hourlyStats(deps, { from: new Date(query.from), to: new Date(query.to) }),
}));
