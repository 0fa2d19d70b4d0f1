import type { SourceOptions } from '../../shared/adapters/rocketmq/source';
import { failureModes, type FaultInjector } from './faults';

/** The Redis commands the Redis-backed ports send (the ledger, the paid marks, the shared access token). */
const REDIS_COMMANDS = ['get', 'set', 'exists', 'del', 'eval', 'pexpire'];
/** WeChat Pay's network calls; `requestPaymentParams` only signs, locally. */
const WECHAT_PAY_CALLS = ['prepay', 'queryPayment', 'closePayment', 'createRefund', 'queryRefund'];

/**
 * The production adapters, each talking to this run's servers. Imported only once the environment points at them
 * (the adapters read their configuration when first loaded).
 */
export async function loadAdapters() {
  const [orders, carts, stores, coupons, users, sessions, ledger, notices, outbox, publisher, tx, source, redisClient, catalog, wechatConfig, payGateway, payNotification, login, accessToken, subscribe, clock] =
    await Promise.all([
      import('../../shared/adapters/dynamodb/order-repository'),
      import('../../shared/adapters/dynamodb/cart-repository'),
      import('../../shared/adapters/dynamodb/store-repository'),
      import('../../shared/adapters/dynamodb/coupon-repository'),
      import('../../shared/adapters/dynamodb/user-repository'),
      import('../../shared/adapters/dynamodb/session-store'),
      import('../../shared/adapters/dynamodb/payment-ledger'),
      import('../../shared/adapters/dynamodb/notice-repository'),
      import('../../shared/adapters/dynamodb/outbox'),
      import('../../shared/adapters/rocketmq/publisher'),
      import('../../shared/adapters/rocketmq/tx-publisher'),
      import('../../shared/adapters/rocketmq/source'),
      import('../../shared/adapters/redis/client'),
      import('../../shared/composition/catalog'),
      import('../../shared/adapters/wechat/config'),
      import('../../shared/adapters/wechat/pay-gateway'),
      import('../../shared/adapters/wechat/pay-notification'),
      import('../../shared/adapters/wechat/login'),
      import('../../shared/adapters/wechat/access-token'),
      import('../../shared/adapters/wechat/subscribe-sender'),
      import('../../shared/adapters/system/clock'),
    ]);
  const [pay, app] = await Promise.all([wechatConfig.loadWxPaySettings(), wechatConfig.loadWxAppSettings()]);
  const systemClock = clock.systemClock;
  const redis = redisClient.redis;
  return {
    orders: orders.dynamoOrderRepository,
    carts: carts.dynamoCartRepository,
    stores: stores.dynamoStoreRepository,
    coupons: coupons.dynamoCouponRepository,
    users: users.dynamoUserRepository,
    sessions: sessions.dynamoSessionStore,
    payments: ledger.dynamoPaymentLedger,
    anomalies: ledger.dynamoPaymentAnomalies,
    refunds: ledger.dynamoRefundRepository,
    notices: notices.dynamoNoticeRepository,
    outbox: outbox.dynamoOutbox,
    newOutboxEvent: outbox.newOutboxEvent,
    publisher: publisher.rocketmqPublisher,
    tx: tx.rocketmqTxPublisher,
    checks: tx.rocketmqHalfChecks,
    source: source.rocketmqSource,
    redis,
    storeCatalog: catalog.storeCatalog,
    gateway: payGateway.createWechatPayGateway({ ...pay, clock: systemClock, timeoutMs: 3_000 }),
    verifier: payNotification.createPaymentNotificationVerifier({ ...pay, clock: systemClock }),
    wxLogin: login.createWxLogin(app),
    sender: subscribe.createSubscribeMessageSender({
      accessToken: accessToken.createSharedAccessToken({ redis, appid: app.appid, appSecret: app.appSecret, apiBaseUrl: app.apiBaseUrl }),
      apiBaseUrl: app.apiBaseUrl,
    }),
    clock: systemClock,
  };
}
export type Adapters = Awaited<ReturnType<typeof loadAdapters>>;

/** A component's view of the adapters: every I/O port goes through the injector under that component's name. */
export function portsFor(injector: FaultInjector, component: string, a: Adapters) {
  const wrap = <T extends object>(port: string, target: T, modes: keyof typeof failureModes, methods?: readonly string[]) =>
    injector.wrap(component, port, target, failureModes[modes], methods);
  return {
    orders: wrap('orders', a.orders, 'dynamodb'),
    carts: wrap('carts', a.carts, 'dynamodb'),
    stores: wrap('stores', a.stores, 'dynamodb'),
    coupons: wrap('coupons', a.coupons, 'dynamodb'),
    users: wrap('users', a.users, 'dynamodb'),
    sessions: wrap('sessions', a.sessions, 'dynamodb'),
    payments: wrap('payments', a.payments, 'dynamodb'),
    anomalies: wrap('anomalies', a.anomalies, 'dynamodb'),
    refunds: wrap('refunds', a.refunds, 'dynamodb'),
    notices: wrap('notices', a.notices, 'dynamodb'),
    outbox: wrap('outbox', a.outbox, 'dynamodb'),
    publisher: wrap('mq', a.publisher, 'mq'),
    tx: wrap('mqTx', a.tx, 'mq'),
    checks: wrap('mqChecks', a.checks, 'mq'),
    source: (options: SourceOptions) => wrap('mqSource', a.source(options), 'mq'),
    redis: wrap('redis', a.redis, 'redis', REDIS_COMMANDS),
    stockCache: wrap('storeCache', a.storeCatalog, 'redis', ['invalidateProducts']),
    gateway: wrap('wechatPay', a.gateway, 'wechatPay', WECHAT_PAY_CALLS),
    wxLogin: wrap('wechat', a.wxLogin, 'wechatLogin'),
    sender: wrap('wechat', a.sender, 'wechatSend'),
    verifier: a.verifier,
    newOutboxEvent: a.newOutboxEvent,
    clock: a.clock,
  };
}
export type Ports = ReturnType<typeof portsFor>;
