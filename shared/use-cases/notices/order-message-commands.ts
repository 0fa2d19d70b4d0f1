import { cancelledBody, confirmedBody, finishedBody, paidBody, refundedBody, waitPayBody, type NoticeData } from '../../domain/notices/bodies';
import type { Order } from '../../domain/ordering/order';
import { AbstractOrderMessageCommand } from './order-message-command';

/** The order was created and waits for payment. */
export class WaitPayOrderMessageCommand extends AbstractOrderMessageCommand {
  readonly type = 'WAIT_PAY';
  protected buildMessage(order: Order): NoticeData {
    return waitPayBody(order);
  }
}

export class PayOrderMessageCommand extends AbstractOrderMessageCommand {
  readonly type = 'PAID';
  protected buildMessage(order: Order): NoticeData {
    return paidBody(order);
  }
}

export class ConfirmOrderMessageCommand extends AbstractOrderMessageCommand {
  readonly type = 'CONFIRMED';
  protected buildMessage(order: Order): NoticeData {
    return confirmedBody(order);
  }
}

export class FinishedOrderMessageCommand extends AbstractOrderMessageCommand {
  readonly type = 'FINISHED';
  protected buildMessage(order: Order): NoticeData {
    return finishedBody(order);
  }
}

export class CancelOrderMessageCommand extends AbstractOrderMessageCommand {
  readonly type = 'CANCELLED';
  protected buildMessage(order: Order): NoticeData {
    return cancelledBody(order);
  }
}

export class RefundOrderMessageCommand extends AbstractOrderMessageCommand {
  readonly type = 'REFUNDED';
  protected buildMessage(order: Order): NoticeData {
    return refundedBody(order);
  }
}
