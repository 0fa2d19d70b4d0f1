import { statsQuery } from '../../functions/admin-get-stats/schema';
import { adminListOrdersQuery } from '../../functions/admin-list-orders/schema';
import { paymentAnomaliesQuery } from '../../functions/admin-list-payment-anomalies/schema';
import { createOrderBody } from '../../functions/create-order/schema';
import { getMyCouponsQuery } from '../../functions/get-my-coupons/schema';
import { listOrdersQuery } from '../../functions/list-orders/schema';
import { loginBody } from '../../functions/login/schema';
import { putCartBody } from '../../functions/put-cart/schema';
import { adminRefundBody, refundBody } from '../../functions/refund-order/schema';
import { envelopeSchema } from '../../shared/adapters/wechat/pay-notification';
import { productBody, productPath, storeBody, storeIdPath } from '../../shared/schemas/catalog';
import { orderIdPath } from '../../shared/schemas/ordering';
import type * as z from '../../shared/schemas/zod';
import * as answers from './responses';
import type { ErrorCode } from './errors';

export type Schema = z.core.$ZodType;

/** How a route knows its caller: none, a session token, the operators' key, or WeChat Pay's signature. */
export type Auth = 'none' | 'bearer' | 'adminKey' | 'wechatPaySignature';

export type Tag = 'login' | 'catalog' | 'cart and orders' | 'payment' | 'notices' | 'admin' | 'webhooks';

export type ApiRoute = {
  method: 'GET' | 'PUT' | 'POST';
  /** As in serverless.yml. */
  path: string;
  /** The serverless.yml function serving it (the operationId, and so the client's name for it). */
  functionName: string;
  tag: Tag;
  summary: string;
  description?: string;
  auth: Auth;
  /** The very schema objects the handler passes to httpHandler (test/api-document checks they are the same). */
  request?: { path?: Schema; query?: Schema; body?: Schema };
  /** Success statuses and what they carry; no schema means no body. */
  success: Partial<Record<200 | 201 | 202 | 204, { description: string; schema?: Schema }>>;
  /**
   * The codes this route's own flow can answer. The document adds those every route of its kind answers: 401 where
   * there is auth, 400 VALIDATION_FAILED where there is input, 503 DEPENDENCY_UNAVAILABLE and 500 INTERNAL_ERROR.
   */
  errors: ErrorCode[];
  /** False for a route that reads only its configuration, so that no dependency can be unavailable. */
  usesDependencies?: false;
};

const order = { description: 'the order', schema: answers.order };

/** Every HTTP route of serverless.yml, in the order the document lists them. */
export const apiRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/auth/login',
    functionName: 'login',
    tag: 'login',
    summary: 'Log in with a wx.login code',
    description: 'Exchanges the code at WeChat for the user; a first login registers the user (and grants the new-user coupon through the MQ). The token goes in `Authorization: Bearer <token>`.',
    auth: 'none',
    request: { body: loginBody },
    success: { 200: { description: 'a session', schema: answers.loginResult } },
    errors: ['WX_CODE_INVALID', 'WX_LOGIN_BLOCKED', 'WX_RATE_LIMITED', 'WX_UNAVAILABLE'],
  },
  {
    method: 'GET',
    path: '/me/coupons',
    functionName: 'getMyCoupons',
    tag: 'cart and orders',
    summary: "The caller's coupons",
    description: 'Soonest expiry first; an unused coupon past its expiry shows as `EXPIRED`.',
    auth: 'bearer',
    request: { query: getMyCouponsQuery },
    success: { 200: { description: 'the coupons', schema: answers.couponList } },
    errors: [],
  },
  {
    method: 'GET',
    path: '/notices/templates',
    functionName: 'getNoticeTemplates',
    tag: 'notices',
    summary: 'The order notices\' subscribe-message templates',
    description: 'The template ids to pass to `wx.requestSubscribeMessage`: one per order status that sends a notice.',
    auth: 'none',
    success: { 200: { description: 'the templates', schema: answers.noticeTemplateList } },
    errors: [],
    usesDependencies: false,
  },
  {
    method: 'GET',
    path: '/stores',
    functionName: 'getStores',
    tag: 'catalog',
    summary: 'The stores',
    description: 'Open stores first, then by name. Served from a cache whose staleness bound is `STORE_CACHE_CHECK_MS` (docs/caching.md).',
    auth: 'none',
    success: { 200: { description: 'the stores', schema: answers.storeList } },
    errors: [],
  },
  {
    method: 'GET',
    path: '/stores/{storeId}',
    functionName: 'getStore',
    tag: 'catalog',
    summary: 'One store',
    auth: 'none',
    request: { path: storeIdPath },
    success: { 200: { description: 'the store', schema: answers.store } },
    errors: ['STORE_NOT_FOUND'],
  },
  {
    method: 'GET',
    path: '/stores/{storeId}/products',
    functionName: 'getStoreProducts',
    tag: 'catalog',
    summary: "A store's products",
    description: '`stock` may lag behind orders by at most the cache\'s staleness bound.',
    auth: 'none',
    request: { path: storeIdPath },
    success: { 200: { description: 'the products', schema: answers.productList } },
    errors: ['STORE_NOT_FOUND'],
  },
  {
    method: 'GET',
    path: '/cart',
    functionName: 'getCart',
    tag: 'cart and orders',
    summary: "The caller's cart, priced now",
    description: 'An empty cart is `{ storeId: null, items: [], totalFen: 0 }`; a product the store no longer sells is left out.',
    auth: 'bearer',
    success: { 200: { description: 'the cart', schema: answers.cart } },
    errors: [],
  },
  {
    method: 'PUT',
    path: '/cart',
    functionName: 'putCart',
    tag: 'cart and orders',
    summary: "Replace the caller's cart",
    description: 'One store\'s lines; an empty list empties it.',
    auth: 'bearer',
    request: { body: putCartBody },
    success: { 200: { description: 'the cart, priced', schema: answers.cart } },
    errors: ['STORE_NOT_FOUND', 'PRODUCT_NOT_FOUND'],
  },
  {
    method: 'POST',
    path: '/orders',
    functionName: 'createOrder',
    tag: 'cart and orders',
    summary: 'Place an order',
    description:
      'Priced from the store\'s products (the client never sends a price); `items` absent orders the cart and empties it. Idempotent on `requestId`: the same request again answers 200 with the same order.',
    auth: 'bearer',
    request: { body: createOrderBody },
    success: { 201: { description: 'the order, placed (`WAIT_PAY`)', schema: answers.order }, 200: { description: 'the order this requestId placed before', schema: answers.order } },
    errors: ['STORE_NOT_FOUND', 'STORE_CLOSED', 'PRODUCT_NOT_FOUND', 'OUT_OF_STOCK', 'COUPON_NOT_USABLE', 'EMPTY_ORDER', 'CART_CHANGED', 'REQUEST_ID_REUSED'],
  },
  {
    method: 'GET',
    path: '/orders',
    functionName: 'listOrders',
    tag: 'cart and orders',
    summary: "The caller's orders, newest first",
    description: 'A page at a time: pass `nextCursor` back as `cursor` for the next one; no `nextCursor` on the last page.',
    auth: 'bearer',
    request: { query: listOrdersQuery },
    success: { 200: { description: 'a page of orders', schema: answers.orderPage } },
    errors: ['INVALID_CURSOR'],
  },
  {
    method: 'GET',
    path: '/orders/{orderId}',
    functionName: 'getOrder',
    tag: 'cart and orders',
    summary: 'One of the caller\'s orders',
    auth: 'bearer',
    request: { path: orderIdPath },
    success: { 200: order },
    errors: ['ORDER_NOT_FOUND'],
  },
  {
    method: 'POST',
    path: '/orders/{orderId}/cancel',
    functionName: 'cancelOrder',
    tag: 'cart and orders',
    summary: 'Cancel an unpaid order',
    description:
      'Stock and coupon come back. A payment WeChat Pay already took wins: the order is recorded as paid instead and the answer is 409 (400 `PAYMENT_MISMATCH` if that payment does not match the order); while the shopper is paying at that moment the answer is 409 `PAYMENT_IN_PROGRESS`.',
    auth: 'bearer',
    request: { path: orderIdPath },
    success: { 200: { description: 'the order, `CANCELLED`', schema: answers.order } },
    errors: ['ORDER_NOT_FOUND', 'ORDER_NOT_CANCELLABLE', 'PAYMENT_IN_PROGRESS', 'PAYMENT_MISMATCH', 'PAYMENT_GATEWAY_UNAVAILABLE'],
  },
  {
    method: 'POST',
    path: '/orders/{orderId}/pay',
    functionName: 'payOrder',
    tag: 'payment',
    summary: 'The wx.requestPayment parameters of an unpaid order',
    description:
      'Opens (or reuses, for 110 minutes) a WeChat Pay JSAPI prepay; `paySign` is signed with the merchant key. WeChat Pay failing twice answers 503 `DEPENDENCY_UNAVAILABLE`.',
    auth: 'bearer',
    request: { path: orderIdPath },
    success: { 200: { description: 'the parameters of wx.requestPayment', schema: answers.paymentParams } },
    errors: ['ORDER_NOT_FOUND', 'ORDER_NOT_PAYABLE'],
  },
  {
    method: 'POST',
    path: '/orders/{orderId}/finish',
    functionName: 'finishOrder',
    tag: 'cart and orders',
    summary: 'Finish a confirmed order',
    description: 'Grants the order\'s reward coupon through a transactional message.',
    auth: 'bearer',
    request: { path: orderIdPath },
    success: { 200: { description: 'the order, `FINISHED`', schema: answers.order } },
    errors: ['ORDER_NOT_FOUND', 'ORDER_NOT_FINISHABLE', 'MQ_UNAVAILABLE'],
  },
  {
    method: 'POST',
    path: '/orders/{orderId}/refund',
    functionName: 'refundOrder',
    tag: 'payment',
    summary: 'Ask for a full refund',
    description: 'The order turns `REFUNDING` at once; WeChat Pay\'s refund follows through a transactional message, and `REFUNDED` when it is done.',
    auth: 'bearer',
    request: { path: orderIdPath, body: refundBody },
    success: { 202: { description: 'the order, `REFUNDING`', schema: answers.order } },
    errors: ['ORDER_NOT_FOUND', 'ORDER_NOT_REFUNDABLE', 'MQ_UNAVAILABLE'],
  },
  {
    method: 'PUT',
    path: '/admin/stores/{storeId}',
    functionName: 'adminPutStore',
    tag: 'admin',
    summary: 'Create or replace a store',
    description: 'Every reader sees it within the store cache\'s staleness bound.',
    auth: 'adminKey',
    request: { path: storeIdPath, body: storeBody },
    success: { 200: { description: 'the store', schema: answers.store } },
    errors: [],
  },
  {
    method: 'PUT',
    path: '/admin/stores/{storeId}/products/{productId}',
    functionName: 'adminPutProduct',
    tag: 'admin',
    summary: 'Create or replace a product of a store',
    auth: 'adminKey',
    request: { path: productPath, body: productBody },
    success: { 200: { description: 'the product', schema: answers.product } },
    errors: ['STORE_NOT_FOUND'],
  },
  {
    method: 'GET',
    path: '/admin/stores',
    functionName: 'adminListStores',
    tag: 'admin',
    summary: 'Every store, closed ones included',
    auth: 'adminKey',
    success: { 200: { description: 'the stores', schema: answers.storeList } },
    errors: [],
  },
  {
    method: 'GET',
    path: '/admin/orders',
    functionName: 'adminListOrders',
    tag: 'admin',
    summary: 'Orders of every user, newest first',
    description: 'Filtered by status, store and placing time; a page at a time, as `GET /orders`.',
    auth: 'adminKey',
    request: { query: adminListOrdersQuery },
    success: { 200: { description: 'a page of orders', schema: answers.adminOrderPage } },
    errors: ['INVALID_CURSOR'],
  },
  {
    method: 'GET',
    path: '/admin/orders/{orderId}',
    functionName: 'adminGetOrder',
    tag: 'admin',
    summary: 'One order with its payments, notices and history',
    auth: 'adminKey',
    request: { path: orderIdPath },
    success: { 200: { description: 'the order in detail', schema: answers.adminOrderDetail } },
    errors: ['ORDER_NOT_FOUND'],
  },
  {
    method: 'POST',
    path: '/admin/orders/{orderId}/confirm',
    functionName: 'adminConfirmOrder',
    tag: 'admin',
    summary: 'Confirm a paid order',
    auth: 'adminKey',
    request: { path: orderIdPath },
    success: { 200: { description: 'the order, `CONFIRMED`', schema: answers.order } },
    errors: ['ORDER_NOT_FOUND', 'ORDER_NOT_CONFIRMABLE'],
  },
  {
    method: 'POST',
    path: '/admin/orders/{orderId}/finish',
    functionName: 'adminFinishOrder',
    tag: 'admin',
    summary: 'Finish a confirmed order',
    description: 'The shopper\'s finish, by an operator: the same reward coupon.',
    auth: 'adminKey',
    request: { path: orderIdPath },
    success: { 200: { description: 'the order, `FINISHED`', schema: answers.order } },
    errors: ['ORDER_NOT_FOUND', 'ORDER_NOT_FINISHABLE', 'MQ_UNAVAILABLE'],
  },
  {
    method: 'POST',
    path: '/admin/orders/{orderId}/refund',
    functionName: 'adminRefundOrder',
    tag: 'admin',
    summary: 'Refund an order in full',
    description: 'The shopper\'s refund path, by an operator; `reason` shows in the shopper\'s refund message.',
    auth: 'adminKey',
    request: { path: orderIdPath, body: adminRefundBody },
    success: { 202: { description: 'the order, `REFUNDING`', schema: answers.order } },
    errors: ['ORDER_NOT_FOUND', 'ORDER_NOT_REFUNDABLE', 'MQ_UNAVAILABLE'],
  },
  {
    method: 'GET',
    path: '/admin/payment-anomalies',
    functionName: 'adminListPaymentAnomalies',
    tag: 'admin',
    summary: 'Authentic payments that did not match their order, newest first',
    auth: 'adminKey',
    request: { query: paymentAnomaliesQuery },
    success: { 200: { description: 'a page of anomalies', schema: answers.paymentAnomalyPage } },
    errors: ['INVALID_CURSOR'],
  },
  {
    method: 'GET',
    path: '/admin/stats',
    functionName: 'adminGetStats',
    tag: 'admin',
    summary: 'Orders and revenue per hour',
    auth: 'adminKey',
    request: { query: statsQuery },
    success: { 200: { description: 'one bucket per hour of the range', schema: answers.stats } },
    errors: [],
  },
  {
    method: 'POST',
    path: '/wxpay/notify',
    functionName: 'wxpayNotify',
    tag: 'webhooks',
    summary: "WeChat Pay's payment notification",
    description:
      'Called by WeChat Pay, not by clients. Verified before anything is trusted (signature over the raw body, replay window, AES-256-GCM decryption, merchant and app), then recorded once. Every error body is `{ "code": "FAIL", message }`, as WeChat Pay expects; it retries on any non-2xx.',
    auth: 'wechatPaySignature',
    request: { body: envelopeSchema },
    success: { 204: { description: 'recorded (or recorded before)' } },
    errors: ['PAYMENT_NOTIFICATION_REJECTED', 'PAYMENT_MISMATCH', 'ORDER_NOT_FOUND', 'PAYMENT_GATEWAY_UNAVAILABLE'],
  },
  {
    method: 'POST',
    path: '/wxpay/refund-notify',
    functionName: 'wxpayRefundNotify',
    tag: 'webhooks',
    summary: "WeChat Pay's refund notification",
    description: 'Verified as the payment notification; completes the refund once (`REFUNDING` -> `REFUNDED`). Errors are `{ "code": "FAIL", message }`.',
    auth: 'wechatPaySignature',
    request: { body: envelopeSchema },
    success: { 204: { description: 'recorded (or recorded before)' } },
    errors: ['PAYMENT_NOTIFICATION_REJECTED', 'REFUND_NOT_FOUND', 'PAYMENT_MISMATCH', 'ORDER_NOT_FOUND'],
  },
];
