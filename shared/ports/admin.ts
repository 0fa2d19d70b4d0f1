import type { HourBucket, StatusContribution } from '../domain/admin/order-stats';
import type { Order, OrderStatus } from '../domain/ordering/order';
import type { PaymentAnomaly } from '../domain/payment/payment';
import type { Page } from './paging';

/** Which orders an operator asks for; `from` and `to` bound `createdAt` (ISO times, both inclusive). */
export type OrderFilter = { status?: OrderStatus; storeId?: string; from?: string; to?: string };

export type PageRequest = { limit: number; cursor?: string };

/** The operators' view of all orders, read from indexes (never a table scan). */
export interface OrderSearch {
  /**
   * Orders matching the filter, newest first (createdAt, then orderId). A cursor is only good for the filter it was
   * issued with (InvalidCursorError otherwise). A page may hold fewer than `limit` orders while `nextCursor` says more
   * may follow: each request reads a bounded part of the index.
   */
  search(filter: OrderFilter, page: PageRequest): Promise<Page<Order>>;
}

export interface PaymentAnomalyLog {
  /** Recorded anomalies, newest first. */
  newestFirst(page: PageRequest): Promise<Page<PaymentAnomaly>>;
}

/** One order reaching one counted status, to be added to its hour's bucket. */
export type StatusCount = StatusContribution & { orderId: string; status: string; countedAt: Date };

/** Hourly counters of order statuses, maintained from OrderStatusChanged. */
export interface OrderStats {
  /** Adds the count to its hour's bucket unless this (order, status) was counted before; false then (nothing written). */
  countOnce(count: StatusCount): Promise<boolean>;
  /** The buckets of the hours starting in [fromHour, toHour], only those with activity, in any order. */
  buckets(fromHour: string, toHour: string): Promise<HourBucket[]>;
}
