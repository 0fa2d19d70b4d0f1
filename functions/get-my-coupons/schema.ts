import { couponStatuses } from '../../shared/domain/coupons/coupon';
import * as z from '../../shared/schemas/zod';

export const getMyCouponsQuery = z.object({ status: z.optional(z.enum(couponStatuses)) });
