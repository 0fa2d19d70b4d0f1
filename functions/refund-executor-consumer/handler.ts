// Consumer of the committed OrderRefunded: asks WeChat Pay to execute the refund (once per out_refund_no).
import { mqConsumer } from '../../shared/lambda/mq-consumer';
import { rocketmqSource } from '../../shared/adapters/rocketmq/source';
import { refundDeps } from '../../shared/composition/wechat-pay';
import { executeRefund } from '../../shared/use-cases/refunds/refund-consumers';

export const handler = mqConsumer({
  consumer: 'refundExecutorConsumer',
  messages: ['OrderRefunded'],
  source: () => rocketmqSource({ group: 'refundExecutor', messages: ['OrderRefunded'] }),
  handle: async ({ body }) => {
    await executeRefund(await refundDeps(), body);
  },
});
