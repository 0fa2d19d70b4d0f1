// PUT /cart (API Gateway HTTP API, payload v2, Bearer session): replaces the caller's cart.
import { httpHandler } from '../../shared/lambda/http-handler';
import { userAuth } from '../../shared/composition/user-auth';
import { storeCatalog } from '../../shared/composition/catalog';
import { dynamoCartRepository } from '../../shared/adapters/dynamodb/cart-repository';
import { systemClock } from '../../shared/adapters/system/clock';
import { putCart } from '../../shared/use-cases/ordering/cart';
import { putCartBody } from './schema';

const deps = { carts: dynamoCartRepository, catalog: storeCatalog, clock: systemClock };

export const handler = httpHandler({ auth: userAuth, body: putCartBody }, async ({ auth, body }) => ({
  statusCode: 200,
  body: await putCart(deps, { userId: auth.userId, ...body }),
}));
