import { pageFields } from '../../shared/schemas/paging';
import * as z from '../../shared/schemas/zod';

export const paymentAnomaliesQuery = z.object(pageFields);
