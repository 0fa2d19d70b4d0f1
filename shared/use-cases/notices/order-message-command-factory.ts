import type { NoticeType } from '../../domain/notices/notice-types';
import type { NoticeDelivery, OrderMessageCommand } from './order-message-command';
import {
  CancelOrderMessageCommand,
  ConfirmOrderMessageCommand,
  FinishedOrderMessageCommand,
  PayOrderMessageCommand,
  RefundOrderMessageCommand,
  WaitPayOrderMessageCommand,
} from './order-message-commands';

type CommandClass = new (delivery: NoticeDelivery) => OrderMessageCommand;

/** The simple factory's one table: a new notice type is a new command and a new row. */
const commandOf: Record<NoticeType, CommandClass> = {
  WAIT_PAY: WaitPayOrderMessageCommand,
  PAID: PayOrderMessageCommand,
  CONFIRMED: ConfirmOrderMessageCommand,
  FINISHED: FinishedOrderMessageCommand,
  CANCELLED: CancelOrderMessageCommand,
  REFUNDED: RefundOrderMessageCommand,
};

export interface OrderMessageCommandFactory {
  create(type: NoticeType): OrderMessageCommand;
}

/** Maps a notice type to its command (seed design: OrderMessageCommandFactory). */
export function orderMessageCommandFactory(delivery: NoticeDelivery): OrderMessageCommandFactory {
  return { create: (type) => new commandOf[type](delivery) };
}
