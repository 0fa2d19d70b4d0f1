import type { NoticeData } from '../../domain/notices/bodies';
import type { NoticeType } from '../../domain/notices/notice-types';
import type { Order } from '../../domain/ordering/order';
import type { SubscribeMessageSender, SubscribeSendResult } from '../../ports/wechat';

/** Sends one kind of order notice (seed design: OrderMessageCommand). */
export interface OrderMessageCommand {
  readonly type: NoticeType;
  /** Throws what the sender throws: WxUnavailableError, WxSendOutcomeUnknownError, WxMessageRejectedError. */
  send(order: Order): Promise<SubscribeSendResult>;
}

/** What every command shares: the one subscribe sender, the configured template per type, the page a notice opens. */
export type NoticeDelivery = {
  sender: SubscribeMessageSender;
  templates: Readonly<Record<NoticeType, string>>;
  /** The mini-program page of an order, without a leading `/`; the order id is appended as `?id=`. */
  orderPage: string;
};

/**
 * The template method: `send` builds the body (the step each type implements) and delivers it (the step all share,
 * to the order's payer through the one sender, opening the order's page).
 */
export abstract class AbstractOrderMessageCommand implements OrderMessageCommand {
  abstract readonly type: NoticeType;

  constructor(private readonly delivery: NoticeDelivery) {}

  protected abstract buildMessage(order: Order): NoticeData;

  send(order: Order): Promise<SubscribeSendResult> {
    const data = this.buildMessage(order);
    return this.delivery.sender.send({
      touser: order.openid,
      templateId: this.delivery.templates[this.type],
      page: `${this.delivery.orderPage}?id=${encodeURIComponent(order.id)}`,
      data,
    });
  }
}
