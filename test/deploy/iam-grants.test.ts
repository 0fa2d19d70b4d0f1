import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import type { Tags } from 'yaml';
import type { ApiResponse } from '../support/api';

/**
 * Each function's DynamoDB calls, recorded while real flows drive it, against the grants of its own role in
 * serverless.yml (serverless-iam-roles-per-function). DynamoDB Local enforces no IAM, so without this a missing grant
 * only shows on AWS, as AccessDenied on a path that every other test passes.
 *
 * - Which function is running: the local gateway's invocations (HTTP routes, WeChat Pay's webhooks) and this file's
 *   own (consumers with batch events, scheduled functions) run inside an AsyncLocalStorage holding the function's
 *   serverless.yml name; background work a function starts (an outbox mark after its answer) stays attributed to it.
 * - What it needs: a middleware on the functions' DynamoDB client turns each call into the IAM actions it is
 *   authorized as (a TransactWriteItems as PutItem/UpdateItem/DeleteItem/ConditionCheckItem on each item's table; a
 *   Query on an index as the index's ARN), with table names mapped back to their logical ids (`UserCouponsTable`).
 * - Redis is unreachable for the whole file: it is only a fast path, so every session, store and product read falls
 *   through to DynamoDB, as on a cold container with Redis down (the most DynamoDB a function can ever need).
 *
 * Only calls a flow here makes are checked. Not driven (their grants are reviewed by hand): orderTxCheckBack (no half
 * message left undecided), the refund reconciler's settling (it only reads its index here: its refunds are not old
 * enough), a notice claim released after a failed send, an anomaly on a refund notification, and the races where a
 * cancellation meets a payment of an order cancelled meanwhile, a refund already over when the payment webhook submits it.
 */

type Grant = { action: string; resource: string };
type Recorded = Grant & { fn: string };

const PROJECT_ROOT = join(__dirname, '..', '..');
const running = new AsyncLocalStorage<string>();
const recorded: Recorded[] = [];

/** The functions this file drives, each of which must have made at least one DynamoDB call by the end. */
const DRIVEN = [
  'login',
  'getMyCoupons',
  'getStores',
  'getStore',
  'getStoreProducts',
  'getCart',
  'putCart',
  'createOrder',
  'listOrders',
  'getOrder',
  'payOrder',
  'wxpayNotify',
  'wxpayRefundNotify',
  'cancelOrder',
  'adminConfirmOrder',
  'finishOrder',
  'adminFinishOrder',
  'refundOrder',
  'adminRefundOrder',
  'adminListOrders',
  'adminGetOrder',
  'adminListStores',
  'adminPutStore',
  'adminPutProduct',
  'adminListPaymentAnomalies',
  'adminGetStats',
  'newUserCouponConsumer',
  'storeUpdatedConsumer',
  'orderTimeoutConsumer',
  'orderSweep',
  'orderStatsConsumer',
  'orderNoticeConsumer',
  'orderRewardConsumer',
  'refundExecutorConsumer',
  'refundCouponConsumer',
  'refundReconciler',
  'outboxRelay',
];

// The gateway loads each handler through lambda-runtime: run every invocation as the function its context names.
jest.doMock('../../local/gateway/lambda-runtime', () => {
  const actual = jest.requireActual<typeof import('../../local/gateway/lambda-runtime')>('../../local/gateway/lambda-runtime');
  return {
    ...actual,
    loadHandler: (handler: string) => {
      const fn = actual.loadHandler(handler);
      return (event: unknown, context: Context) => running.run(context.functionName, () => fn(event, context));
    },
  };
});

let restoreEnv: () => void;
let api: Awaited<ReturnType<typeof import('../support/api').startApi>>;
let config: import('../../local/gateway/routes').ServerlessFile;
let tableIds: Map<string, string>;

// ---- what a call needs -------------------------------------------------------------------------------------------

const TRANSACT_ACTIONS: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem' };
/** Document-client command names (`TransactWriteCommand`) and the API's (`TransactWriteItemsCommand`) -> the API action. */
const API_ACTIONS: Record<string, string> = { Get: 'GetItem', Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', BatchGet: 'BatchGetItem', BatchWrite: 'BatchWriteItem', TransactGet: 'TransactGetItems', TransactWrite: 'TransactWriteItems' };

const tableId = (name: string) => tableIds.get(name) ?? `unknown table ${name}`;

/** The IAM actions and resources one DynamoDB request is authorized as. */
function grantsNeeded(commandName: string, input: any): Grant[] {
  const bare = commandName.replace(/Command$/, '');
  const action = API_ACTIONS[bare] ?? bare;
  switch (action) {
    case 'GetItem':
    case 'PutItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return [{ action, resource: tableId(input.TableName) }];
    case 'Query':
    case 'Scan':
      return [{ action, resource: input.IndexName ? `${tableId(input.TableName)}/index/${input.IndexName}` : tableId(input.TableName) }];
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return Object.keys(input.RequestItems).map((table) => ({ action, resource: tableId(table) }));
    case 'TransactWriteItems':
      return input.TransactItems.map((item: Record<string, { TableName: string }>) => {
        const [kind, operation] = Object.entries(item)[0] as [string, { TableName: string }];
        return { action: TRANSACT_ACTIONS[kind] ?? kind, resource: tableId(operation.TableName) };
      });
    case 'TransactGetItems':
      return input.TransactItems.map((item: { Get: { TableName: string } }) => ({ action: 'GetItem', resource: tableId(item.Get.TableName) }));
    default:
      return [{ action, resource: input.TableName ? tableId(input.TableName) : '*' }];
  }
}

// ---- what a function is granted ------------------------------------------------------------------------------------

const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** CloudFormation's short tags in their JSON form (`!GetAtt X.Arn` -> { 'Fn::GetAtt': 'X.Arn' }), so a !Join stays one resource. */
const intrinsicTags = ['GetAtt', 'Join', 'Sub', 'Ref', 'Split', 'Select', 'If', 'ImportValue'].flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => ({ [`Fn::${name}`]: value }) },
  { tag: `!${name}`, collection: 'seq' as const, resolve: (seq: { toJSON(): unknown }) => ({ [`Fn::${name}`]: seq.toJSON() }) },
]) as unknown as Tags;

/** A statement's resource: a table's logical id (`OrdersTable`), an index under it (`OrdersTable/index/byUser`), or text. */
function resourceName(value: unknown): string {
  if (typeof value === 'string') return value;
  const intrinsic = value as { 'Fn::GetAtt'?: string | string[]; 'Fn::Join'?: [string, unknown[]] };
  if (intrinsic['Fn::GetAtt'] !== undefined) {
    const [id, attribute] = typeof intrinsic['Fn::GetAtt'] === 'string' ? intrinsic['Fn::GetAtt'].split('.') : intrinsic['Fn::GetAtt'];
    return attribute === 'Arn' ? (id as string) : `${id}.${attribute}`;
  }
  if (intrinsic['Fn::Join'] !== undefined) return intrinsic['Fn::Join'][1].map(resourceName).join(intrinsic['Fn::Join'][0]);
  return JSON.stringify(value);
}

/** `${self:custom.cancelOrder}` -> the statement under custom.cancelOrder. */
function resolveStatement(statement: unknown): { Effect: string; Action: string | string[]; Resource: unknown } {
  const reference = typeof statement === 'string' ? /^\$\{self:([\w.]+)\}$/.exec(statement) : null;
  if (!reference) return statement as never;
  return (reference[1] as string).split('.').reduce<any>((node, key) => node?.[key], config) as never;
}

const globMatch = (pattern: string, value: string) => new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('.*')}$`).test(value);

function grantedTo(fn: string): Grant[] {
  const statements = (config.functions[fn]?.iamRoleStatements ?? []).map(resolveStatement).filter((s) => s.Effect === 'Allow');
  return statements.flatMap((s) =>
    list(s.Action)
      .filter((action) => action.startsWith('dynamodb:'))
      .flatMap((action) => list(s.Resource as unknown).map((resource) => ({ action: action.slice('dynamodb:'.length), resource: resourceName(resource) }))),
  );
}

const allows = (grants: Grant[], need: Grant) => grants.some((g) => globMatch(g.action, need.action) && globMatch(g.resource, need.resource));

// ---- driving -------------------------------------------------------------------------------------------------------

/** Invokes a function's handler in-process, as the function `fn` of serverless.yml (consumers, scheduled functions). */
async function invoke(fn: string, event: unknown, seconds = 10): Promise<any> {
  const definition = config.functions[fn];
  if (!definition) throw new Error(`serverless.yml has no function ${fn}`);
  const { loadHandler, lambdaContext } = await import('../../local/gateway/lambda-runtime');
  return loadHandler(definition.handler)(event, lambdaContext(fn, seconds));
}

const batch = (tag: string, body: Record<string, unknown>) => ({ messages: [{ messageId: `m-${randomUUID()}`, tag, body }] });

let privateTables: Array<{ drop(): Promise<void> }> = [];

beforeAll(async () => {
  const { overrideEnv } = await import('../support/env');
  const { freePort } = await import('../../local/services/free-port');
  // The relay and the sweep run here read whole tables: these are this file's own, so that they neither publish
  // other files' pending events nor cancel other files' overdue orders.
  const { privateTable } = await import('../support/private-table');
  privateTables = [await privateTable('outbox'), await privateTable('orders')];
  // Nothing listens there: every cache read misses and goes to DynamoDB; the in-process store cache keeps nothing.
  restoreEnv = overrideEnv({ REDIS_URL: `redis://127.0.0.1:${await freePort()}`, STORE_CACHE_CHECK_MS: '1' });

  const { readServerlessFile } = await import('../../local/gateway/routes');
  config = readServerlessFile(join(PROJECT_ROOT, 'serverless.yml'), intrinsicTags);
  const { tableKeys, tableName } = await import('../../shared/config/tables');
  tableIds = new Map(tableKeys.map((key) => [tableName(key), `${key[0]?.toUpperCase()}${key.slice(1)}Table`]));

  const { dynamo } = await import('../../shared/adapters/dynamodb/client');
  dynamo().middlewareStack.add(
    (next, context) => async (args) => {
      const fn = running.getStore();
      if (fn) for (const grant of grantsNeeded(context.commandName ?? '?', args.input)) recorded.push({ fn, ...grant });
      return next(args);
    },
    { step: 'initialize', name: 'iamGrantRecorder' },
  );

  const { startApi } = await import('../support/api');
  api = await startApi();
}, 60_000);

afterAll(async () => {
  await api?.close();
  const { redis } = await import('../../shared/adapters/redis/client');
  redis.disconnect();
  restoreEnv?.();
  for (const table of privateTables.reverse()) await table.drop();
});

// Flows ---------------------------------------------------------------------------------------------------------------

const admin = async () => ({ 'x-admin-key': (await import('../../local/services/backing')).LOCAL_ADMIN_API_KEY });
const expectStatus = (response: ApiResponse, status: number) => expect({ status: response.status, body: response.body }).toEqual({ status, body: expect.anything() });

async function shop() {
  const support = await import('../support/shop');
  const { sandbox, waitFor } = await import('../support/wechat-pay');
  const { getItem } = await import('../support/dynamo');
  const orderRow = (orderId: string) => getItem('orders', { orderId });
  return { ...support, sandbox, waitFor, getItem, orderRow };
}

/** A new shopper's order of one latte (with a coupon when asked), through POST /orders. */
async function placeOrder(options: { coupon?: boolean } = {}) {
  const { newStore, newShopper, giveCoupon, newRequestId } = await shop();
  const store = await newStore({ latte: { priceFen: 2800, stock: 20 } });
  const shopper = await newShopper(api.call);
  const couponId = options.coupon ? await giveCoupon(shopper.userId) : undefined;
  const answer = await api.call('POST', '/orders', { token: shopper.token, body: { requestId: newRequestId(), storeId: store.storeId, couponId, items: [{ productId: 'latte', quantity: 1 }] } });
  expectStatus(answer, 201);
  return { order: answer.body, couponId, store, ...shopper };
}

/** An order paid through POST /pay, the stand-in and the payment webhook. */
async function paidOrder(options: { coupon?: boolean } = {}) {
  const { sandbox, waitFor, orderRow } = await shop();
  const placed = await placeOrder(options);
  expectStatus(await api.call('POST', `/orders/${placed.order.id}/pay`, { token: placed.token }), 200);
  await sandbox().pay(placed.order.id);
  await waitFor(() => orderRow(placed.order.id), (row) => row?.status === 'PAID');
  return placed;
}

describe('the functions, driven through their flows', () => {
  it('log in (new and returning), browse, fill a cart and order from it and by items, pay, confirm, finish, reward', async () => {
    const { newStore, giveCoupon, newRequestId, sandbox, waitFor, orderRow, getItem } = await shop();
    const { newLoginCode } = await import('../support/api');
    const user = `iam-${randomUUID()}`;
    const first = await api.call('POST', '/auth/login', { body: { code: (await newLoginCode(user)).code } });
    expect(first.body.user.isNew).toBe(true);
    const again = await api.call('POST', '/auth/login', { body: { code: (await newLoginCode(user)).code } });
    expect(again.body.user).toEqual({ id: first.body.user.id, isNew: false });
    const { token } = again.body;
    const userId = first.body.user.id as string;

    const { storeId } = await newStore({ latte: { priceFen: 2800, stock: 20 }, mocha: { priceFen: 3200, stock: 20 } });
    expectStatus(await api.call('GET', '/stores'), 200);
    expectStatus(await api.call('GET', `/stores/${storeId}`), 200);
    expectStatus(await api.call('GET', `/stores/${storeId}/products`), 200);
    expectStatus(await api.call('PUT', '/cart', { token, body: { storeId, items: [{ productId: 'latte', quantity: 1 }] } }), 200);
    expect((await api.call('GET', '/cart', { token })).body.items).toHaveLength(1);
    const couponId = await giveCoupon(userId);
    expectStatus(await api.call('GET', '/me/coupons', { token }), 200);

    // From the cart (the store's menu, the cart emptied, the coupon locked), then by items (the products named).
    const fromCart = await api.call('POST', '/orders', { token, body: { requestId: newRequestId(), storeId, couponId } });
    expectStatus(fromCart, 201);
    const requestId = newRequestId();
    const byItems = { requestId, storeId, items: [{ productId: 'mocha', quantity: 2 }] };
    expectStatus(await api.call('POST', '/orders', { token, body: byItems }), 201);
    expectStatus(await api.call('POST', '/orders', { token, body: byItems }), 200);
    expectStatus(await api.call('GET', '/orders', { token }), 200);
    const order = fromCart.body;
    expectStatus(await api.call('GET', `/orders/${order.id}`, { token }), 200);

    expectStatus(await api.call('POST', `/orders/${order.id}/pay`, { token }), 200);
    await sandbox().pay(order.id);
    await waitFor(() => orderRow(order.id), (row) => row?.status === 'PAID');
    expectStatus(await api.call('POST', `/admin/orders/${order.id}/confirm`, { headers: await admin() }), 200);
    expectStatus(await api.call('POST', `/orders/${order.id}/finish`, { token }), 200);

    const other = await paidOrder();
    expectStatus(await api.call('POST', `/admin/orders/${other.order.id}/confirm`, { headers: await admin() }), 200);
    expectStatus(await api.call('POST', `/admin/orders/${other.order.id}/finish`, { headers: await admin() }), 200);

    const ok = { batchItemFailures: [] };
    expect(await invoke('orderRewardConsumer', batch('OrderFinished', { orderId: order.id, userId, finishedAt: new Date().toISOString() }))).toEqual(ok);
    const paid = { orderId: order.id, userId, status: 'PAID', changedAt: new Date().toISOString() };
    expect(await invoke('orderStatsConsumer', batch('OrderStatusChanged', paid))).toEqual(ok);
    expect(await invoke('orderNoticeConsumer', batch('OrderStatusChanged', paid))).toEqual(ok);
    expect(await invoke('newUserCouponConsumer', batch('UserRegistered', { userId, openid: `openid-${randomUUID()}`, registeredAt: new Date().toISOString() }))).toEqual(ok);
    // It reads the store and its products, then fails to publish them to the cache (Redis is down here): redelivered.
    expect((await invoke('storeUpdatedConsumer', batch('StoreUpdated', { storeId, updatedAt: new Date().toISOString() }))).batchItemFailures).toHaveLength(1);
    // An event its request could not publish (as if the MQ had been down): the relay publishes it and marks it.
    const { dynamo } = await import('../../shared/adapters/dynamodb/client');
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    const { tableName } = await import('../../shared/config/tables');
    const stranded = { eventId: randomUUID(), name: 'StoreUpdated', body: { storeId, updatedAt: new Date().toISOString() }, createdAt: new Date(Date.now() - 60_000).toISOString(), pendingShard: 'pending' };
    await dynamo().send(new PutCommand({ TableName: tableName('outbox'), Item: stranded }));
    expect(await invoke('outboxRelay', {}, 60)).toMatchObject({ failed: false, published: expect.any(Number) });
    expect((await getItem('outbox', { eventId: stranded.eventId }))?.publishedAt).toEqual(expect.any(String));
  });

  it('run the operators\' routes: lists, an order\'s detail, stats, anomalies, store and product edits', async () => {
    const headers = await admin();
    const { order, store } = await paidOrder();
    const day = new Date(Date.now() - 3_600_000).toISOString().slice(0, 13);
    for (const query of [`storeId=${store.storeId}`, 'status=PAID', `storeId=${store.storeId}&status=PAID`, 'limit=5']) {
      expectStatus(await api.call('GET', `/admin/orders?${query}`, { headers }), 200);
    }
    expectStatus(await api.call('GET', `/admin/orders/${order.id}`, { headers }), 200);
    expectStatus(await api.call('GET', `/admin/stats?from=${day}:00:00.000Z&to=${new Date(Date.parse(`${day}:00:00.000Z`) + 7_200_000).toISOString()}`, { headers }), 200);
    expectStatus(await api.call('GET', '/admin/payment-anomalies', { headers }), 200);
    expectStatus(await api.call('GET', '/admin/stores', { headers }), 200);
    const storeId = `s-${randomUUID().slice(0, 12)}`;
    const body = { name: '权限门店', address: '上海市测试路2号', location: { lat: 31.2, lng: 121.4 }, openHours: '08:00-22:00', status: 'OPEN' };
    expectStatus(await api.call('PUT', `/admin/stores/${storeId}`, { headers, body }), 200);
    expectStatus(await api.call('PUT', `/admin/stores/${storeId}/products/latte`, { headers, body: { name: '拿铁', priceFen: 2800, stock: 5 } }), 200);
  });

  it('refund: by the shopper and by an operator, executed (accepted, then notified; or over at once), coupon given back', async () => {
    const { sandbox, waitFor, orderRow } = await shop();
    const ok = { batchItemFailures: [] };

    const mine = await paidOrder({ coupon: true });
    expectStatus(await api.call('POST', `/orders/${mine.order.id}/refund`, { token: mine.token, body: { reason: '不想要了' } }), 202);
    const refunded = { orderId: mine.order.id, userId: mine.userId, outRefundNo: `${mine.order.id}-RF`, amountFen: mine.order.payableFen, couponId: mine.couponId };
    // WeChat Pay accepts it (PROCESSING); its notification then settles it through the refund webhook.
    expect(await invoke('refundExecutorConsumer', batch('OrderRefunded', refunded))).toEqual(ok);
    await waitFor(() => orderRow(mine.order.id), (row) => row?.status === 'REFUNDED');
    expect(await invoke('refundCouponConsumer', batch('OrderRefunded', refunded))).toEqual(ok);

    // The executor's request reached WeChat Pay but its answer was lost, and the notification is refused: the
    // redelivery's request is answered with the refund as it now stands (SUCCESS), which the executor settles itself.
    const theirs = await paidOrder();
    expectStatus(await api.call('POST', `/admin/orders/${theirs.order.id}/refund`, { headers: await admin(), body: { reason: '缺货' } }), 202);
    const outRefundNo = `${theirs.order.id}-RF`;
    await sandbox().armPayFault({ operation: 'refund.create', outRefundNo, fault: 'BAD_SIGNATURE', applied: true, calls: [1] });
    await sandbox().armNotificationFaults(['BAD_SIGNATURE'], { outRefundNo });
    const execute = batch('OrderRefunded', { orderId: theirs.order.id, userId: theirs.userId, outRefundNo, amountFen: theirs.order.payableFen });
    expect((await invoke('refundExecutorConsumer', execute)).batchItemFailures).toHaveLength(1);
    await waitFor(async () => (await sandbox().trade(theirs.order.id)).refunds?.[0]?.status, (status) => status === 'SUCCESS');
    expect(await invoke('refundExecutorConsumer', execute)).toEqual(ok);
    expect(await orderRow(theirs.order.id)).toMatchObject({ status: 'REFUNDED' });

    expect(await invoke('refundReconciler', {}, 60)).toMatchObject({ checked: expect.any(Number) });
  });

  it('cancel: by the shopper after a prepay (then paid late and refunded), by the timeout (plain, and finding the payment), by the sweep; a wrong amount is an anomaly', async () => {
    const { sandbox, waitFor, orderRow, getItem } = await shop();
    const ok = { batchItemFailures: [] };

    const late = await placeOrder({ coupon: true });
    expectStatus(await api.call('POST', `/orders/${late.order.id}/pay`, { token: late.token }), 200);
    expect((await api.call('POST', `/orders/${late.order.id}/cancel`, { token: late.token })).body.status).toBe('CANCELLED');
    await sandbox().pay(late.order.id, { force: true });
    await waitFor(() => orderRow(late.order.id), (row) => row?.refunds?.[0]?.status === 'SUCCESS');

    const plain = await placeOrder({ coupon: true });
    const timeout = (o: { id: string; userId: string; payDeadline: string }) => batch('OrderPayTimeout', { orderId: o.id, userId: o.userId, payDeadline: o.payDeadline });
    expect(await invoke('orderTimeoutConsumer', timeout({ ...plain.order, userId: plain.userId }))).toEqual(ok);
    expect(await orderRow(plain.order.id)).toMatchObject({ status: 'CANCELLED' });

    // Paid at WeChat Pay, its notification refused: the timeout's query finds the payment and records it.
    const found = await placeOrder({ coupon: true });
    expectStatus(await api.call('POST', `/orders/${found.order.id}/pay`, { token: found.token }), 200);
    await sandbox().armNotificationFaults(['BAD_SIGNATURE'], { outTradeNo: found.order.id });
    await sandbox().pay(found.order.id);
    await waitFor(async () => (await sandbox().notifications({ outTradeNo: found.order.id })).items[0], (r) => (r?.attempts?.length ?? 0) >= 1);
    expect(await invoke('orderTimeoutConsumer', timeout({ ...found.order, userId: found.userId }))).toEqual(ok);
    expect(await orderRow(found.order.id)).toMatchObject({ status: 'PAID' });

    const { newStore } = await shop();
    const { putOrder } = await import('../support/admin');
    const { storeId } = await newStore({ latte: { priceFen: 2800, stock: 20 } });
    const overdue = await putOrder({ statuses: [['WAIT_PAY', new Date(Date.now() - 3 * 3_600_000)]], storeId });
    expect((await invoke('orderSweep', {}, 60)).cancelled).toBeGreaterThanOrEqual(1);
    expect(await getItem('orders', { orderId: overdue.id })).toMatchObject({ status: 'CANCELLED' });

    const wrong = await placeOrder();
    expectStatus(await api.call('POST', `/orders/${wrong.order.id}/pay`, { token: wrong.token }), 200);
    await sandbox().pay(wrong.order.id, { amountFen: wrong.order.payableFen + 1 });
    await waitFor(async () => (await sandbox().notifications({ outTradeNo: wrong.order.id })).items[0], (r) => (r?.attempts?.length ?? 0) >= 1);
  });
});

// Runs last: what the flows above recorded.
describe('the IAM role of each function (serverless.yml iamRoleStatements)', () => {
  it('grants every DynamoDB action the function was seen to take, on the table or index it took it on', () => {
    const missing = new Set<string>();
    for (const call of recorded) {
      if (!allows(grantedTo(call.fn), call)) missing.add(`${call.fn}: dynamodb:${call.action} on ${call.resource}`);
    }
    expect([...missing].sort()).toEqual([]);
  });

  it('saw DynamoDB calls from every function it vouches for (a flow that stopped reaching one would check nothing)', () => {
    const seen = new Set(recorded.map((call) => call.fn));
    expect(DRIVEN.filter((fn) => !seen.has(fn))).toEqual([]);
    expect([...seen].filter((fn) => !config.functions[fn])).toEqual([]);
  });
});
