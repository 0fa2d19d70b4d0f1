import { pageFields } from '../../shared/schemas/paging';
import * as z from '../../shared/schemas/zod';

export const listOrdersQuery = z.object(pageFields);
