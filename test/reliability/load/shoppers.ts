import { randomUUID } from 'node:crypto';
import type { Random } from '../fuzz/random';
import type { LoadRecorder } from './recorder';

export type LoadTarget = { apiUrl: string; standInUrl: string; adminKey: string; storeId: string; products: string[] };
export type LoadShopper = { userId: string; openid: string; token: string };

type Answer = { status: number; body: any };

/** One virtual shopper's HTTP client: every API call timed and recorded under its route. */
function client(target: LoadTarget, recorder: LoadRecorder) {
  const call = async (route: string, method: string, path: string, options: { body?: unknown; token?: string; admin?: boolean } = {}): Promise<Answer> => {
    const headers: Record<string, string> = {};
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.admin) headers['x-admin-key'] = target.adminKey;
    const started = Date.now();
    try {
      const response = await fetch(`${target.apiUrl}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
      const text = await response.text();
      const body = text ? JSON.parse(text) : undefined;
      recorder.record(route, Date.now() - started, response.status, response.status >= 400 ? body?.code : undefined);
      return { status: response.status, body };
    } catch {
      recorder.record(route, Date.now() - started, 0);
      return { status: 0, body: undefined };
    }
  };
  /** The shopper's own actions at WeChat (not our API, so not recorded): wx.login, paying. */
  const wechat = async (path: string, body: unknown = {}) => (await fetch(`${target.standInUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<any>;
  return { call, wechat };
}

type Client = ReturnType<typeof client>;

async function login(c: Client): Promise<LoadShopper | undefined> {
  const { code, openid } = await c.wechat('/__sandbox/login-codes', { user: `load-${randomUUID()}` });
  const { status, body } = await c.call('POST /auth/login', 'POST', '/auth/login', { body: { code } });
  return status === 200 ? { userId: body.user.id, openid, token: body.token } : undefined;
}

async function untilPaid(c: Client, shopper: LoadShopper, orderId: string): Promise<boolean> {
  for (let i = 0; i < 40; i++) {
    const { body } = await c.call('GET /orders/{orderId}', 'GET', `/orders/${orderId}`, { token: shopper.token });
    if (body?.status === 'PAID') return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** One order's life, as shoppers and the merchant lead it: paid, refunded, finished, cancelled, or left to time out. */
async function orderLife(c: Client, random: Random, target: LoadTarget, shopper: LoadShopper): Promise<void> {
  const items = [{ productId: random.pick(target.products), quantity: random.int(1, 3) }];
  await c.call('PUT /cart', 'PUT', '/cart', { token: shopper.token, body: { storeId: target.storeId, items } });
  await c.call('GET /cart', 'GET', '/cart', { token: shopper.token });
  const { body: coupons } = await c.call('GET /me/coupons', 'GET', '/me/coupons?status=UNUSED', { token: shopper.token });
  const couponId = random.chance(0.5) ? coupons?.items?.[0]?.id : undefined;
  const placed = await c.call('POST /orders', 'POST', '/orders', { token: shopper.token, body: { requestId: randomUUID(), storeId: target.storeId, ...(couponId ? { couponId } : {}) } });
  if (placed.status !== 201) return;
  const orderId = placed.body.id as string;
  const fate = random.pick(['pay', 'pay', 'refund', 'finish', 'cancel', 'timeout'] as const);
  if (fate === 'cancel') return void (await c.call('POST /orders/{orderId}/cancel', 'POST', `/orders/${orderId}/cancel`, { token: shopper.token }));
  if (fate === 'timeout') return;
  await c.call('POST /orders/{orderId}/pay', 'POST', `/orders/${orderId}/pay`, { token: shopper.token });
  await c.wechat(`/__sandbox/pay/${orderId}`);
  if (fate === 'pay' || !(await untilPaid(c, shopper, orderId))) return;
  if (fate === 'refund') return void (await c.call('POST /orders/{orderId}/refund', 'POST', `/orders/${orderId}/refund`, { token: shopper.token, body: { reason: '不想要了' } }));
  await c.call('POST /admin/orders/{orderId}/confirm', 'POST', `/admin/orders/${orderId}/confirm`, { admin: true });
  await c.call('POST /orders/{orderId}/finish', 'POST', `/orders/${orderId}/finish`, { token: shopper.token });
}

/**
 * A closed-loop virtual shopper for `seconds`: logs in (a new shopper every few rounds), browses, fills the cart and
 * places an order whose fate is drawn from the mix. Returns every shopper it was, for the invariants.
 */
export async function virtualShopper(target: LoadTarget, recorder: LoadRecorder, random: Random, until: number): Promise<LoadShopper[]> {
  const c = client(target, recorder);
  const shoppers: LoadShopper[] = [];
  for (let round = 0; Date.now() < until; round++) {
    if (round % 8 === 0) {
      const shopper = await login(c);
      if (shopper) shoppers.push(shopper);
    }
    const shopper = shoppers[shoppers.length - 1];
    await c.call('GET /stores', 'GET', '/stores');
    await c.call('GET /stores/{storeId}/products', 'GET', `/stores/${target.storeId}/products`);
    if (shopper) await orderLife(c, random, target, shopper);
  }
  return shoppers;
}
