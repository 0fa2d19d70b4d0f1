import * as z from 'zod';
import { configSection, envPositiveInt } from './env';

export const couponConfig = configSection('Coupons', {
  NEW_USER_COUPON_TEMPLATE_ID: z.string().min(1).default('tpl-new-user'),
  /** How long a coupon grant holds its Redis lease; a crashed grant is retried after it. */
  COUPON_GRANT_LEASE_SECONDS: envPositiveInt.default(60),
});
