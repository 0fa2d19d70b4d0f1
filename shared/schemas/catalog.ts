import * as z from 'zod';
import { entityId } from './ids';
import { storeStatuses } from '../domain/catalog/store';

export const storeIdPath = z.object({ storeId: entityId });
export const productPath = z.object({ storeId: entityId, productId: entityId });

/** The whole store, as an operator sends it (the id comes from the path). */
export const storeBody = z.object({
  name: z.string().trim().min(1).max(64),
  address: z.string().trim().min(1).max(200),
  location: z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }),
  openHours: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/, 'must look like 08:00-22:00'),
  status: z.enum(storeStatuses),
});

export const productBody = z.object({
  name: z.string().trim().min(1).max(64),
  priceFen: z.number().int().min(0).max(100_000_000),
  stock: z.number().int().min(0).max(1_000_000),
});
