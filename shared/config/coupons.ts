import * as z from '../schemas/zod';
import { configSection, envPositiveInt, envString } from './env';

export const couponConfig = configSection('Coupons', {
  NEW_USER_COUPON_TEMPLATE_ID: z._default(envString, 'tpl-new-user'),
  /** How long a coupon grant holds its Redis lease; a crashed grant is retried after it. */
  COUPON_GRANT_LEASE_SECONDS: z._default(envPositiveInt, 60),
});
