import { couponStatuses } from '../../shared/domain/coupons/coupon';
import { storeStatuses, type Store } from '../../shared/domain/catalog/store';
import type { CartView } from '../../shared/domain/ordering/cart';
import { orderStatuses, refundStatuses, type OrderView } from '../../shared/domain/ordering/order';
import { noticeTypes } from '../../shared/domain/notices/notice-types';
import { anomalyKinds } from '../../shared/domain/payment/payment';
import type { HourBucket } from '../../shared/domain/admin/order-stats';
import type { RequestPaymentParams } from '../../shared/ports/payment-gateway';
import type { LoginResult } from '../../shared/use-cases/identity/login';
import type { CouponView } from '../../shared/use-cases/coupons/list-my-coupons';
import type { NoticeTemplateItem } from '../../shared/use-cases/notices/list-notice-templates';
import type { OrderDetail } from '../../shared/use-cases/admin/order-detail';
import type { AnomalyView } from '../../shared/use-cases/admin/payment-anomalies';
import type { AdminOrderView, AdminPage } from '../../shared/use-cases/admin/search-orders';
import * as z from '../../shared/schemas/zod';

// What the API answers, for the document and for checking real answers in tests. The handlers build these from the
// domain's own types; the `Same<>` checks at the end make any difference between the two a compile error, so the
// document cannot describe a field the code does not send (or miss one it does).

const time = z.iso.datetime();
/** Times WeChat Pay reported (a payment's or refund's `success_time`) are passed on as it wrote them, with its offset. */
const wechatPayTime = z.iso.datetime({ offset: true }).check(z.describe('as WeChat Pay reported it: ISO-8601 with its offset (+08:00), not UTC'));
const fen = z.int().check(z.gte(0));
const count = z.int().check(z.gte(0));

export const errorBody = z.object({ code: z.string(), message: z.string() });

export const store = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  location: z.object({ lat: z.number(), lng: z.number() }),
  openHours: z.string(),
  status: z.enum(storeStatuses),
});
export const storeList = z.object({ items: z.array(store) });

export const product = z.object({ id: z.string(), name: z.string(), priceFen: fen, stock: count });
export const productList = z.object({ items: z.array(product) });

export const loginResult = z.object({ token: z.string(), expiresAt: time, user: z.object({ id: z.string(), isNew: z.boolean() }) });

export const coupon = z.object({
  id: z.string(),
  templateId: z.string(),
  name: z.string(),
  discountFen: fen,
  thresholdFen: fen,
  status: z.enum(couponStatuses),
  expiresAt: time,
});
export const couponList = z.object({ items: z.array(coupon) });

export const noticeTemplate = z.object({ type: z.enum(noticeTypes), templateId: z.string() });
export const noticeTemplateList = z.object({ items: z.array(noticeTemplate) });

export const cart = z.object({
  storeId: z.nullable(z.string()),
  items: z.array(z.object({ productId: z.string(), name: z.string(), quantity: count, priceFen: fen, subtotalFen: fen })),
  totalFen: fen,
});

export const orderRefund = z.object({
  outRefundNo: z.string(),
  amountFen: fen,
  status: z.enum(refundStatuses),
  reason: z.enum(['USER_REQUESTED', 'OPERATOR', 'PAID_AFTER_CANCEL']),
});

const orderFields = {
  id: z.string().check(z.regex(/^[0-9A-Za-z_-]{6,32}$/)),
  storeId: z.string(),
  status: z.enum(orderStatuses),
  items: z.array(z.object({ productId: z.string(), name: z.string(), quantity: count, priceFen: fen })),
  totalFen: fen,
  discountFen: fen,
  payableFen: fen,
  couponId: z.nullable(z.string()),
  payDeadline: time,
  createdAt: time,
  paidAt: z.nullable(wechatPayTime),
  cancelledAt: z.nullable(time),
  refundedAt: z.nullable(wechatPayTime),
  refunds: z.array(orderRefund),
};
export const order = z.object(orderFields);
export const orderPage = z.object({ items: z.array(order), nextCursor: z.optional(z.string()) });

export const paymentParams = z.object({ timeStamp: z.string(), nonceStr: z.string(), package: z.string(), signType: z.literal('RSA'), paySign: z.string() });

export const adminOrder = z.object({ ...orderFields, userId: z.string() });
/** Unlike the shoppers' list, an operators' page always has `nextCursor`: null on the last page. */
export const adminOrderPage = z.object({ items: z.array(adminOrder), nextCursor: z.nullable(z.string()) });
export const adminOrderDetail = z.object({
  ...orderFields,
  userId: z.string(),
  payments: z.array(z.object({ transactionId: z.string(), amountFen: fen, paidAt: wechatPayTime })),
  notices: z.array(z.object({ status: z.enum(noticeTypes), result: z.enum(['SENDING', 'SENT', 'NOT_SUBSCRIBED', 'REJECTED', 'UNKNOWN']), sentAt: z.nullable(time) })),
  history: z.array(z.object({ status: z.enum(orderStatuses), at: z.iso.datetime({ offset: true }).check(z.describe('UTC, except REFUNDED: WeChat Pay\'s refund time with its offset')) })),
});

export const paymentAnomaly = z.object({
  id: z.string(),
  outTradeNo: z.string(),
  transactionId: z.nullable(z.string()),
  kind: z.enum(anomalyKinds),
  expected: z.string(),
  received: z.string(),
  at: time,
});
export const paymentAnomalyPage = z.object({ items: z.array(paymentAnomaly), nextCursor: z.nullable(z.string()) });

export const stats = z.object({
  buckets: z.array(
    z.object({
      hourStart: time,
      created: count,
      paid: count,
      cancelled: count,
      refunded: count,
      // Paid less refunded in the hour (docs/admin.md): negative in an hour whose refunds outweigh its payments.
      revenueFen: z.int().check(z.describe('fen paid in the hour less fen refunded in it: negative when refunds outweigh payments')),
    }),
  ),
});

/** The name each response schema has in the document's components (and so in the client's types). */
export const responseSchemas = {
  Error: errorBody,
  Store: store,
  StoreList: storeList,
  Product: product,
  ProductList: productList,
  LoginResult: loginResult,
  Coupon: coupon,
  CouponList: couponList,
  NoticeTemplate: noticeTemplate,
  NoticeTemplateList: noticeTemplateList,
  Cart: cart,
  OrderRefund: orderRefund,
  Order: order,
  OrderPage: orderPage,
  PaymentParams: paymentParams,
  AdminOrder: adminOrder,
  AdminOrderPage: adminOrderPage,
  AdminOrderDetail: adminOrderDetail,
  PaymentAnomaly: paymentAnomaly,
  PaymentAnomalyPage: paymentAnomalyPage,
  Stats: stats,
};

// Compile-time checks: each schema's output is exactly the type the use case returns.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Expect<T extends true> = T;
type Out<S extends z.ZodMiniType> = z.output<S>;
export type _ResponsesMatchTheCode = [
  Expect<Same<Out<typeof store>, Store>>,
  Expect<Same<Out<typeof loginResult>, LoginResult>>,
  Expect<Same<Out<typeof coupon>, CouponView>>,
  Expect<Same<Out<typeof noticeTemplate>, NoticeTemplateItem>>,
  Expect<Same<Out<typeof cart>, CartView>>,
  Expect<Same<Out<typeof order>, OrderView>>,
  Expect<Same<Out<typeof paymentParams>, RequestPaymentParams>>,
  Expect<Same<Out<typeof adminOrder>, AdminOrderView>>,
  Expect<Same<Out<typeof adminOrderPage>, AdminPage<AdminOrderView>>>,
  Expect<Same<Out<typeof adminOrderDetail>, OrderDetail>>,
  Expect<Same<Out<typeof paymentAnomalyPage>, AdminPage<AnomalyView>>>,
  Expect<Same<Out<typeof stats>, { buckets: HourBucket[] }>>,
];
