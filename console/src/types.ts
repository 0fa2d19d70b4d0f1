// The shapes of the admin API's answers the console reads (/work/shared/docs/api.md, "Admin routes").

export const orderStatuses = ['WAIT_PAY', 'PAID', 'CONFIRMED', 'FINISHED', 'CANCELLED', 'REFUNDING', 'REFUNDED'] as const;
export type OrderStatus = (typeof orderStatuses)[number];

export type Refund = { outRefundNo: string; amountFen: number; status: 'REQUESTED' | 'PROCESSING' | 'SUCCESS' | 'CLOSED' | 'ABNORMAL'; reason: string };

export type Order = {
  id: string;
  userId: string;
  storeId: string;
  status: OrderStatus;
  items: Array<{ productId: string; name: string; quantity: number; priceFen: number }>;
  totalFen: number;
  discountFen: number;
  payableFen: number;
  couponId: string | null;
  payDeadline: string;
  createdAt: string;
  paidAt: string | null;
  cancelledAt: string | null;
  refundedAt: string | null;
  refunds: Refund[];
};

export type OrderDetail = Order & {
  payments: Array<{ transactionId: string; amountFen: number; paidAt: string }>;
  notices: Array<{ status: string; result: string; sentAt: string | null }>;
  history: Array<{ status: OrderStatus; at: string }>;
};

export type Page<T> = { items: T[]; nextCursor: string | null };

export type Store = {
  id: string;
  name: string;
  address: string;
  location: { lat: number; lng: number };
  openHours: string;
  status: 'OPEN' | 'CLOSED';
};

export type Product = { id: string; name: string; priceFen: number; stock: number };

export type Anomaly = { id: string; outTradeNo: string; transactionId: string | null; kind: string; expected: string; received: string; at: string };

export type HourBucket = { hourStart: string; created: number; paid: number; cancelled: number; refunded: number; revenueFen: number };
