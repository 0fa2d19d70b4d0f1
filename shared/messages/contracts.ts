import * as z from '../schemas/zod';

/**
 * Every message the flows exchange, in one place: its topic, tag, message key, delivery kind and body schema.
 * Aliyun topics are typed (normal, delayed, ordered, transactional) and must not mix kinds, hence one topic per kind
 * of traffic. Bodies are JSON; the key (`KEYS`) is what an operator searches for in the MQ console.
 */
export type DeliveryKind = 'normal' | 'delayed' | 'ordered' | 'transactional';

const isoTime = z.iso.datetime();
const id = z.string().check(z.minLength(1), z.maxLength(64));

export const topics = {
  user: { kind: 'normal', env: 'MQ_TOPIC_USER', defaultName: 'wx_shop_user' },
  store: { kind: 'normal', env: 'MQ_TOPIC_STORE', defaultName: 'wx_shop_store' },
  orderTimeout: { kind: 'delayed', env: 'MQ_TOPIC_ORDER_TIMEOUT', defaultName: 'wx_shop_order_timeout' },
  orderStatus: { kind: 'ordered', env: 'MQ_TOPIC_ORDER_STATUS', defaultName: 'wx_shop_order_status' },
  orderTx: { kind: 'transactional', env: 'MQ_TOPIC_ORDER_TX', defaultName: 'wx_shop_order_tx' },
} as const satisfies Record<string, { kind: DeliveryKind; env: string; defaultName: string }>;
export type TopicKey = keyof typeof topics;

type Contract<S extends z.ZodMiniType> = {
  topic: TopicKey;
  tag: string;
  body: S;
  /** The message key (`KEYS`): the business id an operator looks a message up by. No ':' or '|' (the SDK drops those). */
  key: (body: z.infer<S>) => string;
  /** Ordered messages only: messages with the same sharding key are delivered in publish order. */
  shardingKey?: (body: z.infer<S>) => string;
};

function contract<S extends z.ZodMiniType>(c: Contract<S>): Contract<S> {
  return c;
}

export const messageContracts = {
  /** A user logged in for the first time; the coupon consumer grants the new-user coupon. */
  UserRegistered: contract({
    topic: 'user',
    tag: 'UserRegistered',
    body: z.object({ userId: id, openid: id, registeredAt: isoTime }),
    key: (b) => b.userId,
  }),
  /** An operator changed a store or one of its products; caches refresh from DynamoDB. */
  StoreUpdated: contract({
    topic: 'store',
    tag: 'StoreUpdated',
    body: z.object({ storeId: id, productId: z.optional(id), updatedAt: isoTime }),
    key: (b) => b.storeId,
  }),
  /** Delivered at the order's pay deadline; cancels the order if it is still unpaid. */
  OrderPayTimeout: contract({
    topic: 'orderTimeout',
    tag: 'OrderPayTimeout',
    body: z.object({ orderId: id, userId: id, payDeadline: isoTime }),
    key: (b) => b.orderId,
  }),
  /** An order reached a status; notices go out per order, in order. */
  OrderStatusChanged: contract({
    topic: 'orderStatus',
    tag: 'OrderStatusChanged',
    body: z.object({ orderId: id, userId: id, status: z.string().check(z.minLength(1)), changedAt: isoTime }),
    key: (b) => `${b.orderId}.${b.status}`,
    shardingKey: (b) => b.orderId,
  }),
  /** Transactional: an order was finished; the reward coupon is granted. */
  OrderFinished: contract({
    topic: 'orderTx',
    tag: 'OrderFinished',
    body: z.object({ orderId: id, userId: id, finishedAt: isoTime }),
    key: (b) => b.orderId,
  }),
  /** Transactional: a refund was accepted; WeChat Pay executes it and the order's coupon goes back to the user. */
  OrderRefunded: contract({
    topic: 'orderTx',
    tag: 'OrderRefunded',
    body: z.object({ orderId: id, userId: id, outRefundNo: id, amountFen: z.int().check(z.positive()), couponId: z.optional(id) }),
    key: (b) => b.outRefundNo,
  }),
};

export type MessageName = keyof typeof messageContracts;
export type MessageBody<N extends MessageName> = z.infer<(typeof messageContracts)[N]['body']>;

/** Consumer groups, one per consumer function. Aliyun wants `GID_` names of letters, digits, `_` and `-`. */
export const consumerGroups = {
  newUserCoupon: { env: 'MQ_GROUP_NEW_USER_COUPON', defaultName: 'GID_wx_shop_new_user_coupon' },
  storeCache: { env: 'MQ_GROUP_STORE_CACHE', defaultName: 'GID_wx_shop_store_cache' },
  orderTimeout: { env: 'MQ_GROUP_ORDER_TIMEOUT', defaultName: 'GID_wx_shop_order_timeout' },
  orderNotice: { env: 'MQ_GROUP_ORDER_NOTICE', defaultName: 'GID_wx_shop_order_notice' },
  orderStats: { env: 'MQ_GROUP_ORDER_STATS', defaultName: 'GID_wx_shop_order_stats' },
  refundExecutor: { env: 'MQ_GROUP_REFUND_EXECUTOR', defaultName: 'GID_wx_shop_refund_executor' },
  refundCoupon: { env: 'MQ_GROUP_REFUND_COUPON', defaultName: 'GID_wx_shop_refund_coupon' },
  orderReward: { env: 'MQ_GROUP_ORDER_REWARD', defaultName: 'GID_wx_shop_order_reward' },
  orderTxProducer: { env: 'MQ_GROUP_ORDER_TX_PRODUCER', defaultName: 'GID_wx_shop_order_tx_producer' },
} as const;
export type ConsumerGroupKey = keyof typeof consumerGroups;

/** The topics and groups an MQ instance must have for these contracts, under their configured names. */
export type DeclaredTopology = { topics: Array<{ name: string; kind: DeliveryKind }>; groups: string[] };

/**
 * The names as the adapters will use them: `MQ_TOPIC_*` / `MQ_GROUP_*` from `env`, else the defaults. Pure, so the
 * local broker can declare exactly what the functions started with the same environment will address.
 */
export function declaredTopology(env: Record<string, string | undefined>): DeclaredTopology {
  const configured = ({ env: name, defaultName }: { env: string; defaultName: string }) => env[name] ?? defaultName;
  return {
    topics: Object.values(topics).map((topic) => ({ name: configured(topic), kind: topic.kind })),
    groups: Object.values(consumerGroups).map(configured),
  };
}
