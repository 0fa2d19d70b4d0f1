import * as z from 'zod';
import { couponStatuses } from '../../shared/domain/coupons/coupon';

export const getMyCouponsQuery = z.object({ status: z.enum(couponStatuses).optional() });
