import * as z from 'zod';
import { couponStatuses } from '../../shared/domain/coupon';

export const getMyCouponsQuery = z.object({ status: z.enum(couponStatuses).optional() });
