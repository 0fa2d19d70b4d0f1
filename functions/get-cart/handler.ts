// GET /cart (API Gateway HTTP API, payload v2, Bearer session): the caller's cart, priced server-side.
import { httpHandler } from '../../shared/lambda/http-handler';
import { userAuth } from '../../shared/composition/user-auth';
import { storeCatalog } from '../../shared/composition/catalog';
import { dynamoCartRepository } from '../../shared/adapters/dynamodb/cart-repository';
import { systemClock } from '../../shared/adapters/system/clock';
import { getCart } from '../../shared/use-cases/ordering/cart';

const deps = { carts: dynamoCartRepository, catalog: storeCatalog, clock: systemClock };

export const handler = httpHandler({ auth: userAuth }, async ({ auth }) => ({ statusCode: 200, body: await getCart(deps, { userId: auth.userId }) }));
