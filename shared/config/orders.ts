import * as z from '../schemas/zod';
import { configSection, envPositiveInt } from './env';

export const orderConfig = configSection('Orders', {
  /** How long an order waits for payment before it is cancelled (and WeChat Pay's time_expire). */
  ORDER_PAY_TIMEOUT_SECONDS: z._default(envPositiveInt, 1800),
  /** The sweep cancels orders still unpaid this long after their deadline (their timeout message was lost). */
  ORDER_SWEEP_GRACE_SECONDS: z._default(envPositiveInt, 60),
});
