// GET /admin/payment-anomalies (API Gateway HTTP API, payload v2, X-Admin-Key): payments that did not match their
// order, newest first, a page at a time.
import { httpHandler } from '../../shared/lambda/http-handler';
import { adminAuth } from '../../shared/composition/admin-auth';
import { dynamoPaymentAnomalyLog } from '../../shared/adapters/dynamodb/payment-anomaly-log';
import { listPaymentAnomalies } from '../../shared/use-cases/admin/payment-anomalies';
import { paymentAnomaliesQuery } from './schema';

const deps = { anomalies: dynamoPaymentAnomalyLog };

export const handler = httpHandler({ auth: adminAuth, query: paymentAnomaliesQuery }, async ({ query }) => ({
  statusCode: 200,
  body: await listPaymentAnomalies(deps, query),
}));
