/** The value types of subscribe-message keys (docs/protocols/wechat-apis.md section 3). */
export type SubscribeValueType =
  | 'thing'
  | 'number'
  | 'letter'
  | 'symbol'
  | 'character_string'
  | 'time'
  | 'date'
  | 'amount'
  | 'phone_number'
  | 'car_number'
  | 'name'
  | 'phrase';

/** The order notices, one per order status reached. */
export type NoticeType = 'WAIT_PAY' | 'PAID' | 'CONFIRMED' | 'FINISHED' | 'CANCELLED' | 'REFUNDED';

export type SubscribeTemplate = {
  type: NoticeType;
  templateId: string;
  title: string;
  /** Key -> value type, exactly the keys the message data must carry. */
  keys: Readonly<Record<string, SubscribeValueType>>;
};

/**
 * The stack's default templates, shaped like ones picked from the MP console's public template library for a
 * retail/food category. The ids are made up and stable, so local configuration does not change between runs.
 */
export const defaultTemplates: readonly SubscribeTemplate[] = [
  {
    type: 'WAIT_PAY',
    templateId: 'Lq2xQk7WnT3dYb8RfGm1VzCeHsJ4uNpA6oKiXwE9tB0',
    title: '订单待支付提醒',
    keys: { character_string1: 'character_string', thing2: 'thing', amount3: 'amount', time4: 'time', thing5: 'thing' },
  },
  {
    type: 'PAID',
    templateId: 'Pz8cNf3KsL1vWq6HjR0mXyTb4GdU9eAoVi2nE7kC5wS',
    title: '支付成功通知',
    keys: { character_string1: 'character_string', amount2: 'amount', time3: 'time', thing4: 'thing' },
  },
  {
    type: 'CONFIRMED',
    templateId: 'Cf5bRt9YhM2kQw7NzX1sLp3VaGj8eDu0TiOn4Wc6HxE',
    title: '商家接单通知',
    keys: { character_string1: 'character_string', thing2: 'thing', phrase3: 'phrase', time4: 'time' },
  },
  {
    type: 'FINISHED',
    templateId: 'Fn1dWs6JkP0qTz4MxB8vHc2RyLe7GaU3oNi5Xt9KfQw',
    title: '订单完成通知',
    keys: { character_string1: 'character_string', thing2: 'thing', time3: 'time', thing4: 'thing' },
  },
  {
    type: 'CANCELLED',
    templateId: 'Xk4gHv8NrC2pLm6QsT0wZb3YjD7eFa1UoRi9Kt5GnWc',
    title: '订单取消通知',
    keys: { character_string1: 'character_string', amount2: 'amount', thing3: 'thing', time4: 'time' },
  },
  {
    type: 'REFUNDED',
    templateId: 'Rb7mTy2QwK5nHs9LcV3xZp1GdF6eJa0UoNi8Xt4WkCe',
    title: '退款成功通知',
    keys: { character_string1: 'character_string', amount2: 'amount', time3: 'time', thing4: 'thing' },
  },
];
