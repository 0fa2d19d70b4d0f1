import * as z from '../schemas/zod';
import { configSection, envPositiveInt, envString } from './env';

export const transactionConfig = configSection('Transactional messages', {
  /** How long the MQ waits for the producer's commit or rollback before asking the check-back (Aliyun takes 10-300 s). */
  TX_CHECK_BACK_AFTER_SECONDS: z._default(envPositiveInt.check(z.lte(300)), 10),
  /** A half message this old whose local transaction left no trace is rolled back by the check-back. */
  TX_ROLLBACK_AFTER_SECONDS: z._default(envPositiveInt, 60),
});

export const refundConfig = configSection('Refunds', {
  /** The reconciler queries WeChat Pay about refunds still unsettled this long after they were recorded. */
  REFUND_RECONCILE_AFTER_SECONDS: z._default(envPositiveInt, 120),
  /** The coupon a finished order earns. */
  REWARD_COUPON_TEMPLATE_ID: z._default(envString, 'tpl-order-reward'),
});
