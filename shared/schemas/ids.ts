import * as z from 'zod';

/** Ids we mint or accept in paths: short, URL-safe, and valid as WeChat Pay `out_trade_no` (6-32 of [0-9A-Za-z_-]). */
export const entityId = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'must be 1-64 characters of 0-9, A-Z, a-z, _ and -');
