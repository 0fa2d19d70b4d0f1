import { DomainError } from '../errors';

export class ProductNotFoundError extends DomainError {
  override readonly name = 'ProductNotFoundError';
  readonly code = 'PRODUCT_NOT_FOUND';
  constructor(readonly productId: string) {
    super(`product ${productId} is not sold by this store`);
  }
}

export class OutOfStockError extends DomainError {
  override readonly name = 'OutOfStockError';
  readonly code = 'OUT_OF_STOCK';
  constructor(readonly productId: string) {
    super(`product ${productId} does not have the quantity asked for in stock`);
  }
}

export class CouponNotUsableError extends DomainError {
  override readonly name = 'CouponNotUsableError';
  readonly code = 'COUPON_NOT_USABLE';
  constructor(
    readonly couponId: string,
    reason: string,
  ) {
    super(`coupon ${couponId} cannot be used: ${reason}`);
  }
}

export class EmptyOrderError extends DomainError {
  override readonly name = 'EmptyOrderError';
  readonly code = 'EMPTY_ORDER';
  constructor() {
    super('the order has no items: give items, or put them in the cart first');
  }
}

/** The cart the order was priced from changed before the order was written; nothing was written. */
export class CartChangedError extends DomainError {
  override readonly name = 'CartChangedError';
  readonly code = 'CART_CHANGED';
  constructor() {
    super('the cart changed while the order was being placed; look at it and order again');
  }
}

export class RequestIdReusedError extends DomainError {
  override readonly name = 'RequestIdReusedError';
  readonly code = 'REQUEST_ID_REUSED';
  constructor(readonly requestId: string) {
    super(`requestId ${requestId} was already used for a different order; use a new requestId for a new order`);
  }
}

/** Unknown, or another user's: the two are indistinguishable on purpose. */
export class OrderNotFoundError extends DomainError {
  override readonly name = 'OrderNotFoundError';
  readonly code = 'ORDER_NOT_FOUND';
  constructor(readonly orderId: string) {
    super(`order ${orderId} does not exist`);
  }
}

const moveNames = {
  ORDER_NOT_CANCELLABLE: 'cancelled',
  ORDER_NOT_PAYABLE: 'paid',
  ORDER_NOT_CONFIRMABLE: 'confirmed',
  ORDER_NOT_FINISHABLE: 'finished',
  ORDER_NOT_REFUNDABLE: 'refunded',
} as const;

/** The order is not in a status the asked move starts from; the code names the move. */
export class OrderStateError extends DomainError {
  override readonly name = 'OrderStateError';
  constructor(
    readonly code: keyof typeof moveNames,
    readonly orderId: string,
    readonly status: string,
  ) {
    super(`order ${orderId} is ${status}, so it cannot be ${moveNames[code]}`);
  }
}

export class StoreClosedError extends DomainError {
  override readonly name = 'StoreClosedError';
  readonly code = 'STORE_CLOSED';
  constructor(readonly storeId: string) {
    super(`store ${storeId} is closed and takes no orders`);
  }
}
