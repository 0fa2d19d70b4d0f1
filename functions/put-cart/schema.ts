import { entityId } from '../../shared/schemas/ids';
import { lines } from '../../shared/schemas/ordering';
import * as z from '../../shared/schemas/zod';

/** The whole cart: one store's lines (an empty list empties it). */
export const putCartBody = z.object({ storeId: entityId, items: lines });
