import { randomUUID } from 'node:crypto';
import { loadRoutes } from '../../local/gateway/routes';
import { pollOnce } from '../support/consumers';
import { giveCoupon } from '../support/shop';
import { captureNotification, merchantGateway, waitFor, type CapturedNotification } from '../support/wechat-pay';
import { startNotifyReceiver } from '../wechat/support/notify-receiver';
import { forgeriesOf } from './abuse/forgeries';
import { captureLogs } from './abuse/log-capture';
import { percentile, tieUp } from './abuse/slow-clients';
import { IsolatedShop } from './isolated-shop';
import { recordRow } from './results';

// Abuse: another user's ids, admin routes without the key, every class of webhook forgery, clients that hold
// connections open, and the logs of a whole session searched for every secret, token and key it handled.
let shop: IsolatedShop;
beforeAll(async () => {
  shop = await IsolatedShop.start();
}, 120_000);
afterAll(() => shop.stop());

type Answer = { status: number; text: string; code?: string };
async function send(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  const response = await fetch(`${shop.api.gateway.url}${path}`, { method, headers, body });
  const text = await response.text();
  let code: string | undefined;
  try {
    code = JSON.parse(text).code;
  } catch {
    code = undefined;
  }
  return { status: response.status, text, code };
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
const routes = loadRoutes().filter((r) => r.routeKey !== '$default');

describe("another user's ids", () => {
  it('are answered as ids that do not exist (404 for an order on every route, 409 for a coupon), changing nothing', async () => {
    const theirCoupon = await giveCoupon(shop.b.userId);
    const before = await shop.tables();
    const orderRoutes = routes.filter((r) => r.path.includes('{orderId}') && !r.path.startsWith('/admin/'));
    const problems: string[] = [];
    let tried = 0;
    for (const route of orderRoutes) {
      for (const theirs of [shop.b.waitPay, shop.b.paid]) {
        const missing = `o${randomUUID().replace(/-/g, '').slice(0, 31)}`;
        const body = route.method === 'GET' ? undefined : JSON.stringify({ reason: '不想要了' });
        const [other, absent] = await Promise.all([theirs, missing].map((id) => send(route.method, route.path.replace('{orderId}', id), bearer(shop.a.token), body)));
        tried += 2;
        const same = other?.status === absent?.status && other?.text.replaceAll(theirs, '{id}') === absent?.text.replaceAll(missing, '{id}');
        if (other?.status !== 404 || !same) problems.push(`${route.routeKey}: theirs ${other?.status} ${other?.text} / missing ${absent?.status} ${absent?.text}`);
      }
    }
    // A page cursor carries its user: B's cursor in A's hands is refused as any forged cursor is.
    const bPage = await send('GET', '/orders?limit=1', bearer(shop.b.token));
    const theirsCursor = await send('GET', `/orders?limit=1&cursor=${encodeURIComponent(JSON.parse(bPage.text).nextCursor)}`, bearer(shop.a.token));
    const forgedCursor = await send('GET', '/orders?limit=1&cursor=eyJvcmRlcklkIjoieCJ9', bearer(shop.a.token));
    tried += 2;
    if (theirsCursor.status !== 400 || theirsCursor.text !== forgedCursor.text) problems.push(`cursor: theirs ${theirsCursor.text} / forged ${forgedCursor.text}`);
    // Another user's coupon is refused exactly as one that does not exist.
    const missingCoupon = `c-missing-${randomUUID().slice(0, 8)}`;
    const withCoupon = (couponId: string) => send('POST', '/orders', bearer(shop.a.token), JSON.stringify({ requestId: randomUUID(), storeId: shop.storeId, items: [{ productId: 'latte', quantity: 1 }], couponId }));
    const [theirs, absent] = [await withCoupon(theirCoupon), await withCoupon(missingCoupon)];
    tried += 2;
    if (theirs.status !== 409 || theirs.text.replaceAll(theirCoupon, '{id}') !== absent.text.replaceAll(missingCoupon, '{id}')) problems.push(`coupon: theirs ${theirs.text} / missing ${absent.text}`);
    const changed = JSON.stringify(await shop.tables()) !== JSON.stringify(before);
    recordRow({ scenario: "abuse: another user's ids", requests: tried, violations: problems.length + Number(changed), dataLost: 0, notes: `${orderRoutes.length} order routes, a page cursor, a coupon` });
    expect(problems).toEqual([]);
    expect(changed).toBe(false);
  });
});

describe('admin routes', () => {
  it('refuse a missing, wrong or very long key with 401 (431 past the header limit), and change nothing', async () => {
    const before = await shop.tables();
    const adminRoutes = routes.filter((r) => r.path.startsWith('/admin/'));
    const keys: Array<[string, Record<string, string>, number]> = [
      ['no key', {}, 401],
      ['a wrong key', { 'x-admin-key': 'not-the-admin-key' }, 401],
      ['the key with one more character', { 'x-admin-key': `${shop.adminKey}x` }, 401],
      ['an 8 KiB key', { 'x-admin-key': 'k'.repeat(8_192) }, 401],
      ['a 20 KiB key', { 'x-admin-key': 'k'.repeat(20_480) }, 431],
    ];
    const problems: string[] = [];
    for (const route of adminRoutes) {
      const path = route.path.replace('{orderId}', shop.a.paid).replace('{storeId}', shop.storeId).replace('{productId}', 'latte');
      const body = route.method === 'GET' ? undefined : JSON.stringify({ reason: '测试', name: '测试', priceFen: 1, stock: 1 });
      for (const [what, headers, status] of keys) {
        const answer = await send(route.method, path, { 'content-type': 'application/json', ...headers }, body);
        const expected = status === 401 ? 'UNAUTHORIZED' : 'HEADERS_TOO_LARGE';
        if (answer.status !== status || answer.code !== expected) problems.push(`${route.routeKey} with ${what}: ${answer.status} ${answer.text.slice(0, 100)}`);
      }
    }
    const changed = JSON.stringify(await shop.tables()) !== JSON.stringify(before);
    recordRow({ scenario: 'abuse: admin routes without the key', requests: adminRoutes.length * keys.length, violations: problems.length + Number(changed), dataLost: 0, notes: `${adminRoutes.length} admin routes x ${keys.length} keys` });
    expect(problems).toEqual([]);
    expect(changed).toBe(false);
  });
});

/** A genuine refund notification for a paid trade of ours, captured instead of delivered. */
async function captureRefundNotification(orderId: string, amountFen: number): Promise<CapturedNotification> {
  const receiver = await startNotifyReceiver(() => 204);
  try {
    await merchantGateway().createRefund({ outTradeNo: orderId, outRefundNo: `${orderId}-X`, refundFen: amountFen, totalFen: amountFen, notifyUrl: receiver.url });
    const [delivery] = await receiver.waitFor(1, 10_000);
    const headers = Object.fromEntries(Object.entries(delivery?.headers ?? {}).filter(([name]) => name.startsWith('wechatpay-'))) as Record<string, string>;
    return { headers, body: delivery?.body ?? '' };
  } finally {
    await receiver.close();
  }
}

async function newOrder(token: string): Promise<{ id: string; payableFen: number; payDeadline: string }> {
  const answer = await send('POST', '/orders', bearer(token), JSON.stringify({ requestId: randomUUID(), storeId: shop.storeId, items: [{ productId: 'latte', quantity: 1 }] }));
  return JSON.parse(answer.text);
}

/** Forgeries the stand-in signs correctly over a tampered resource: only decryption catches them. */
async function inBandForgeries(): Promise<string[]> {
  const problems: string[] = [];
  for (const fault of ['TAMPERED_CIPHERTEXT', 'TAMPERED_TAG'] as const) {
    const order = await newOrder(shop.a.token);
    await send('POST', `/orders/${order.id}/pay`, bearer(shop.a.token));
    await shop.wechat.sandbox.armNotificationFaults([fault], { outTradeNo: order.id });
    await shop.wechat.sandbox.pay(order.id);
    const record = await waitFor(async () => (await shop.wechat.sandbox.notifications({ outTradeNo: order.id })).items[0], (r) => (r?.attempts?.length ?? 0) >= 1);
    if (record.attempts[0].status !== 401) problems.push(`${fault}: first attempt answered ${record.attempts[0].status}`);
  }
  return problems;
}

describe('webhook forgeries', () => {
  it('refuse every class with a 4xx and write nothing; the genuine notification pays once however often it is replayed', async () => {
    const order = await newOrder(shop.a.token);
    const payment = await captureNotification(order, shop.a.openid);
    const refund = await captureRefundNotification(order.id, order.payableFen);
    const before = await shop.tables();
    const forgeries = [...forgeriesOf(payment, '/wxpay/notify', '/wxpay/refund-notify'), ...forgeriesOf(refund, '/wxpay/refund-notify', '/wxpay/notify')];
    const problems: string[] = [];
    for (const forgery of forgeries) {
      const answer = await send('POST', forgery.path, forgery.headers, forgery.body);
      if (answer.status < 400 || answer.status >= 500 || answer.code !== 'FAIL') problems.push(`${forgery.path} ${forgery.name}: ${answer.status} ${answer.text.slice(0, 100)}`);
    }
    // The genuine refund notification of a refund we never asked for: verified, then refused (404), nothing written.
    const unknownRefund = await send('POST', '/wxpay/refund-notify', { 'content-type': 'application/json', ...refund.headers }, refund.body);
    if (unknownRefund.status !== 404) problems.push(`an unknown refund answered ${unknownRefund.status}`);
    const changed = JSON.stringify(await shop.tables()) !== JSON.stringify(before);
    problems.push(...(await inBandForgeries()));

    const genuine = await Promise.all(Array.from({ length: 6 }, () => send('POST', '/wxpay/notify', { 'content-type': 'application/json', ...payment.headers }, payment.body)));
    const after = await shop.tables();
    const paid = (after.orders ?? []).map((item) => JSON.parse(item)).find((row) => row.orderId === order.id);
    const payments = (after.payments ?? []).filter((item) => item.includes(order.id));
    if (genuine.some((a) => a.status !== 204) || paid?.status !== 'PAID' || payments.length !== 1) problems.push(`genuine x6: ${genuine.map((a) => a.status)}, ${paid?.status}, ${payments.length} payments`);
    recordRow({ scenario: 'abuse: webhook forgeries', requests: forgeries.length + 9, violations: problems.length + Number(changed), dataLost: 0, notes: `${forgeries.length} forgeries, 2 signed over a tampered resource, 6 genuine copies` });
    expect(problems).toEqual([]);
    expect(changed).toBe(false);
  });
});

describe('slow and idle clients', () => {
  it('do not stop the gateway from serving everyone else', async () => {
    const timeStores = async () => {
      const started = Date.now();
      const answer = await send('GET', '/stores');
      return { ms: Date.now() - started, ok: answer.status === 200 };
    };
    const hundred = async () => {
      const times: Array<{ ms: number; ok: boolean }> = [];
      for (let i = 0; i < 100; i++) times.push(await timeStores());
      return times;
    };
    const baseline = await hundred();
    const release = await tieUp(shop.api.gateway.url, 300, 30);
    const during = await hundred().finally(release);
    const p99 = percentile(during.map((r) => r.ms), 99);
    const failed = during.filter((r) => !r.ok).length;
    recordRow({ scenario: 'abuse: 300 idle connections and 30 stalled uploads', requests: during.length, violations: failed + Number(p99 > 1_000), dataLost: 0, notes: `GET /stores p99 ${p99} ms under attack, ${percentile(baseline.map((r) => r.ms), 99)} ms before` });
    expect(failed).toBe(0);
    expect(p99).toBeLessThan(1_000);
  });
});

/** A whole session through the API and the consumers, as a shopper and an operator use it, with a few refusals. */
async function session(): Promise<string[]> {
  const { code, openid } = await shop.wechat.sandbox.loginCode({ user: `log-scan-${randomUUID()}` });
  const login = JSON.parse((await send('POST', '/auth/login', { 'content-type': 'application/json' }, JSON.stringify({ code }))).text);
  await shop.wechat.sandbox.subscribe(openid, '*', 10);
  const auth = bearer(login.token);
  await send('GET', '/stores');
  await send('PUT', '/cart', auth, JSON.stringify({ storeId: shop.storeId, items: [{ productId: 'latte', quantity: 1 }] }));
  const order = JSON.parse((await send('POST', '/orders', auth, JSON.stringify({ requestId: randomUUID(), storeId: shop.storeId }))).text);
  await send('POST', `/orders/${order.id}/pay`, auth);
  await shop.wechat.sandbox.pay(order.id);
  await waitFor(async () => (await send('GET', `/orders/${order.id}`, auth)).text, (text) => text.includes('"PAID"'));
  await send('POST', `/orders/${order.id}/refund`, auth, JSON.stringify({ reason: '不想要了' }));
  const consumers = await Promise.all(['new-user-coupon-consumer', 'order-notice-consumer', 'refund-executor-consumer', 'refund-coupon-consumer'].map(async (name) => (await import(`../../functions/${name}/handler`)).handler));
  await Promise.all(consumers.map((handler) => pollOnce(handler, 2)));
  await waitFor(async () => (await send('GET', `/orders/${order.id}`, auth)).text, (text) => text.includes('"REFUNDED"'));
  await send('POST', '/auth/login', { 'content-type': 'application/json' }, JSON.stringify({ code }));
  await send('GET', '/me/coupons', bearer(shop.expiredToken));
  await send('PUT', '/admin/stores/store-002/products/latte', { 'content-type': 'application/json', 'x-admin-key': shop.adminKey }, JSON.stringify({ name: '拿铁', priceFen: 2800, stock: 200 }));
  await send('PUT', '/admin/stores/store-002/products/latte', { 'content-type': 'application/json', 'x-admin-key': 'guessed-key' }, '{}');
  return [login.token, code];
}

describe('logs', () => {
  it('hold none of the secrets, tokens, codes and session keys a whole session handled', async () => {
    const { logger } = await import('../../shared/logging/logger');
    logger.setLogLevel('DEBUG');
    const canary = `canary-${randomUUID()}`;
    const { result: issued, text } = await captureLogs(async () => {
      logger.debug('log capture check', { canary });
      return session();
    }).finally(() => logger.setLogLevel((process.env.LOG_LEVEL ?? 'SILENT') as 'SILENT'));
    const tables = await shop.tables();
    const sessionKeys = (tables.sessions ?? []).map((item) => JSON.parse(item).sessionKey as string);
    const { redis } = await import('../../shared/adapters/redis/client');
    const accessToken = JSON.parse((await redis.get(`wx:access-token:${process.env.WX_APPID}`)) ?? '{}').token as string | undefined;
    const pemLines = (process.env.WXPAY_MERCHANT_PRIVATE_KEY ?? '').split('\n').filter((line) => line.length >= 40 && !line.startsWith('-----'));
    const secrets: Array<[string, string | undefined]> = [
      ['ADMIN_API_KEY', process.env.ADMIN_API_KEY],
      ['MQ_ACCESS_KEY_SECRET', process.env.MQ_ACCESS_KEY_SECRET],
      ['WX_APP_SECRET', process.env.WX_APP_SECRET],
      ['WXPAY_API_V3_KEY', process.env.WXPAY_API_V3_KEY],
      ...pemLines.map((line, i) => [`WXPAY_MERCHANT_PRIVATE_KEY line ${i + 1}`, line] as [string, string]),
      ['WeChat access token', accessToken],
      ...[shop.a.token, shop.b.token, shop.expiredToken, issued[0]].map((token, i) => [`session token ${i + 1}`, token] as [string, string]),
      ['login code', issued[1]],
      ...sessionKeys.map((key, i) => [`WeChat session key ${i + 1}`, key] as [string, string]),
    ];
    const present = secrets.filter(([, value]) => value !== undefined && value.length >= 8);
    const hits = present.filter(([, value]) => text.includes(value as string)).map(([name]) => name);
    recordRow({ scenario: 'abuse: secrets in the logs of a whole session', violations: hits.length, dataLost: 0, notes: `${present.length} secrets searched in ${text.split('\n').length} log lines` });
    expect(text).toContain(canary);
    expect(text).toContain('request handled');
    expect(present.length).toBeGreaterThanOrEqual(12);
    expect(hits).toEqual([]);
  });
});
