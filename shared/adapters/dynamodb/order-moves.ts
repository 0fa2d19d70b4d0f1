import { sourcesOf, type OrderStatus } from '../../domain/ordering/order';
import { tableName } from '../../config/tables';
import type { TransactItem } from './transactions';

export type OrderMove = {
  /** More attributes to set with the move, by name (each becomes `name = :name`). */
  set?: Record<string, unknown>;
  /** Attributes the move removes (the sparse index keys of a status left behind). */
  remove?: string[];
  /** Appended to the order's `refunds`. */
  appendRefunds?: unknown[];
  /** Assignments written out, for paths a name cannot say (`refunds[2].#status = :summary`); values in `values`. */
  assign?: string[];
  /** More to check (the order's own condition is always the move's allowed sources); values in `values`. */
  condition?: string;
  values?: Record<string, unknown>;
};

/**
 * The transaction item that moves an order to `to`: the status, the history entry, and whatever the move carries,
 * conditional on the order being in one of the statuses the domain's state machine allows `to` from. Every order move
 * goes through here, so no write can take a status backwards.
 */
export function orderMove(orderId: string, to: OrderStatus, at: string, move: OrderMove = {}): TransactItem {
  const sources = sourcesOf(to);
  const set = Object.entries(move.set ?? {});
  const assignments = [
    '#status = :to',
    'history = list_append(history, :entry)',
    ...set.map(([name]) => `${name} = :${name}`),
    ...(move.appendRefunds ? ['refunds = list_append(refunds, :refunds)'] : []),
    ...(move.assign ?? []),
  ];
  const allowed = `#status IN (${sources.map((_, i) => `:from${i}`).join(', ')})`;
  return {
    Update: {
      TableName: tableName('orders'),
      Key: { orderId },
      UpdateExpression: `SET ${assignments.join(', ')}${move.remove?.length ? ` REMOVE ${move.remove.join(', ')}` : ''}`,
      ConditionExpression: move.condition ? `${allowed} AND ${move.condition}` : allowed,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':to': to,
        ':entry': [{ status: to, at }],
        ...Object.fromEntries(sources.map((status, i) => [`:from${i}`, status])),
        ...Object.fromEntries(set.map(([name, value]) => [`:${name}`, value])),
        ...(move.appendRefunds ? { ':refunds': move.appendRefunds } : {}),
        ...move.values,
      },
    },
  };
}
