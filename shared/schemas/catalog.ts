import { storeStatuses } from '../domain/catalog/store';
import { entityId } from './ids';
import { displayText, openHours } from './text';
import * as z from './zod';

export const storeIdPath = z.object({ storeId: entityId });
export const productPath = z.object({ storeId: entityId, productId: entityId });

/** The whole store, as an operator sends it (the id comes from the path). */
export const storeBody = z.object({
  name: displayText(64),
  address: displayText(200),
  location: z.object({
    lat: z.number().check(z.gte(-90), z.lte(90)),
    lng: z.number().check(z.gte(-180), z.lte(180)),
  }),
  openHours,
  status: z.enum(storeStatuses),
});

export const productBody = z.object({
  name: displayText(64),
  priceFen: z.int().check(z.gte(0), z.lte(100_000_000)),
  stock: z.int().check(z.gte(0), z.lte(1_000_000)),
});
