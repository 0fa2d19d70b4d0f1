// GET /me/coupons (API Gateway HTTP API, payload v2, Bearer session): the caller's coupons.
import { httpHandler } from '../../shared/lambda/http-handler';
import { userAuth } from '../../shared/composition/user-auth';
import { dynamoCouponRepository } from '../../shared/adapters/dynamodb/coupon-repository';
import { systemClock } from '../../shared/adapters/system/clock';
import { listMyCoupons } from '../../shared/use-cases/coupons/list-my-coupons';
import { getMyCouponsQuery } from './schema';

const deps = { coupons: dynamoCouponRepository, clock: systemClock };

export const handler = httpHandler({ query: getMyCouponsQuery, auth: userAuth }, async ({ query, auth }) => ({
  statusCode: 200,
  body: { items: await listMyCoupons(deps, { userId: auth.userId, status: query.status }) },
}));
