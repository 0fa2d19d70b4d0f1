import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { PaymentRecord } from '../../domain/payment/payment';
import { refundSummary, type RefundRecord } from '../../domain/payment/refund';
import type { PaymentAnomalies, PaymentLedger, RefundRepository, RefundUpdate } from '../../ports/payments';
import { tableName } from '../../config/tables';
import { dynamo } from './client';
import { orderMove } from './order-moves';
import { outboxPut } from './outbox';
import { transactWrite, type TransactItem } from './transactions';

const paymentPut = (payment: PaymentRecord): TransactItem => ({
  Put: { TableName: tableName('payments'), Item: payment, ConditionExpression: 'attribute_not_exists(transactionId)' },
});

/** While WeChat Pay has not settled a refund it carries `openShard`, which puts it in the sparse `unsettled` index. */
const UNSETTLED = 'OPEN';
const isOpen = (status: RefundRecord['status']) => status === 'REQUESTED' || status === 'PROCESSING';

const refundPut = (refund: RefundRecord): TransactItem => ({
  Put: { TableName: tableName('refunds'), Item: { ...refund, openShard: UNSETTLED }, ConditionExpression: 'attribute_not_exists(outRefundNo)' },
});

const fromRefundItem = (item: Record<string, unknown>): RefundRecord => {
  const { openShard: _open, ...refund } = item;
  return refund as RefundRecord;
};

/** Where a refund may move from: only forward, and an ABNORMAL one may still settle. */
const refundSources: Record<RefundRecord['status'], RefundRecord['status'][]> = {
  REQUESTED: [],
  PROCESSING: ['REQUESTED'],
  SUCCESS: ['REQUESTED', 'PROCESSING', 'ABNORMAL'],
  CLOSED: ['REQUESTED', 'PROCESSING', 'ABNORMAL'],
  ABNORMAL: ['REQUESTED', 'PROCESSING'],
};

/** The order's side of a refund update: its summary of the refund, and what the refund's success does to the order. */
function orderUpdate(orderId: string, position: number, refund: RefundRecord, update: RefundUpdate): TransactItem {
  const summary = `refunds[${position}].#status = :summary`;
  const listed = `refunds[${position}].outRefundNo = :no`;
  const values = { ':no': refund.outRefundNo, ':summary': update.status };
  if (update.order === 'COMPLETE') {
    return orderMove(orderId, 'REFUNDED', update.completedAt as string, { set: { refundedAt: update.completedAt }, assign: [summary], condition: listed, values });
  }
  const stamp = update.order === 'STAMP' ? { expression: ', refundedAt = :at', values: { ':at': update.completedAt } } : { expression: '', values: {} };
  return {
    Update: {
      TableName: tableName('orders'),
      Key: { orderId },
      UpdateExpression: `SET ${summary}${stamp.expression}`,
      ConditionExpression: listed,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ...values, ...stamp.values },
    },
  };
}

export const dynamoPaymentLedger: PaymentLedger = {
  async recordPrepay(orderId, prepay) {
    try {
      await dynamo().send(
        new UpdateCommand({
          TableName: tableName('orders'),
          Key: { orderId },
          UpdateExpression: 'SET prepay = :prepay',
          ConditionExpression: '#status = :waitPay',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':prepay': prepay, ':waitPay': 'WAIT_PAY' },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  },

  async markPaid(order, payment, events) {
    const items: TransactItem[] = [
      orderMove(order.id, 'PAID', payment.recordedAt, { set: { paidAt: payment.paidAt, transactionId: payment.transactionId }, remove: ['awaitingPayment'] }),
      paymentPut(payment),
    ];
    if (order.couponId) {
      items.push({
        Update: {
          TableName: tableName('userCoupons'),
          Key: { userId: order.userId, couponId: order.couponId },
          UpdateExpression: 'SET #status = :used',
          ConditionExpression: '#status = :locked AND orderId = :orderId',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':used': 'USED', ':locked': 'LOCKED', ':orderId': order.id },
        },
      });
    }
    items.push(...events.map(outboxPut));
    // The payment's own condition decides first: a recorded payment is a duplicate whatever the order says now.
    const outcome = await transactWrite(items, (index) => {
      if (index === 1) return 'DUPLICATE' as const;
      if (index === 0) return 'NOT_WAITING' as const;
      throw new Error(`recording payment ${payment.transactionId}: the coupon of order ${order.id} is not LOCKED by it`);
    });
    return outcome ?? 'PAID';
  },

  async recordLatePayment(order, payment, refund) {
    const items: TransactItem[] = [
      paymentPut(payment),
      refundPut(refund),
      {
        Update: {
          TableName: tableName('orders'),
          Key: { orderId: order.id },
          UpdateExpression: 'SET refunds = list_append(refunds, :refund), transactionId = :tx',
          ConditionExpression: '#status = :cancelled',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':refund': [refundSummary(refund)], ':cancelled': 'CANCELLED', ':tx': payment.transactionId },
        },
      },
    ];
    // The first failed condition decides: this payment recorded before, or only the refund (of another payment).
    const outcome = await transactWrite(items, (index) => {
      if (index === 0) return 'DUPLICATE' as const;
      if (index === 1) return 'ANOTHER_PAYMENT' as const;
      throw new Error(`recording a late payment for order ${order.id}: the order is no longer CANCELLED`);
    });
    return outcome ?? 'RECORDED';
  },

  async findPayment(transactionId) {
    const { Item } = await dynamo().send(new GetCommand({ TableName: tableName('payments'), Key: { transactionId }, ConsistentRead: true }));
    return Item as PaymentRecord | undefined;
  },
};

export const dynamoPaymentAnomalies: PaymentAnomalies = {
  async record(anomaly) {
    try {
      await dynamo().send(new PutCommand({ TableName: tableName('paymentAnomalies'), Item: { ...anomaly, listShard: 'all' }, ConditionExpression: 'attribute_not_exists(id)' }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  },
};

export const dynamoRefundRepository: RefundRepository = {
  async get(orderId, outRefundNo) {
    const { Item } = await dynamo().send(new GetCommand({ TableName: tableName('refunds'), Key: { orderId, outRefundNo }, ConsistentRead: true }));
    return Item ? fromRefundItem(Item) : undefined;
  },

  async start(order, refund, events) {
    const items: TransactItem[] = [
      orderMove(order.id, 'REFUNDING', refund.createdAt, { appendRefunds: [refundSummary(refund)] }),
      refundPut(refund),
      ...events.map(outboxPut),
    ];
    return (await transactWrite(items, () => false)) ?? true;
  },

  async unsettled(before, limit) {
    const { Items } = await dynamo().send(
      new QueryCommand({
        TableName: tableName('refunds'),
        IndexName: 'unsettled',
        KeyConditionExpression: 'openShard = :open AND createdAt < :before',
        ExpressionAttributeValues: { ':open': UNSETTLED, ':before': before.toISOString() },
        Limit: limit,
      }),
    );
    return (Items ?? []).map(fromRefundItem);
  },

  async updateStatus(order, refund, update, events = []) {
    const position = order.refunds.findIndex((summary) => summary.outRefundNo === refund.outRefundNo);
    if (position < 0) throw new Error(`order ${order.id} does not list refund ${refund.outRefundNo}`);
    const sources = refundSources[update.status];
    const values = { ':to': update.status, ...Object.fromEntries(sources.map((status, i) => [`:from${i}`, status])) };
    const allowed = `#status IN (${sources.map((_, i) => `:from${i}`).join(', ')})`;
    const extra = [update.refundId ? 'refundId = :refundId' : '', update.completedAt ? 'completedAt = :completedAt' : ''].filter(Boolean);
    const settled = isOpen(update.status) ? '' : ' REMOVE openShard';
    const extraValues = { ...(update.refundId ? { ':refundId': update.refundId } : {}), ...(update.completedAt ? { ':completedAt': update.completedAt } : {}) };
    const items: TransactItem[] = [
      {
        Update: {
          TableName: tableName('refunds'),
          Key: { orderId: refund.orderId, outRefundNo: refund.outRefundNo },
          UpdateExpression: `SET ${['#status = :to', ...extra].join(', ')}${settled}`,
          ConditionExpression: allowed,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ...values, ...extraValues },
        },
      },
      orderUpdate(order.id, position, refund, update),
      ...events.map(outboxPut),
    ];
    const outcome = await transactWrite(items, (index) => {
      if (index === 0) return false;
      throw new Error(`order ${order.id} does not list refund ${refund.outRefundNo} at ${position}, or is not REFUNDING`);
    });
    return outcome ?? true;
  },
};
