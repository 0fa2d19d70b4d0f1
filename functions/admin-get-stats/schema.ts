import { MAX_STATS_RANGE_HOURS } from '../../shared/domain/admin/order-stats';
import { isoInstant } from '../../shared/schemas/time';
import * as z from '../../shared/schemas/zod';

const hoursBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 3_600_000;

/** The range of the hourly figures: [from, to), at most MAX_STATS_RANGE_HOURS (7 days). */
export const statsQuery = z.object({ from: isoInstant, to: isoInstant }).check(
  z.refine(({ from, to }) => from < to, { message: 'must be after from', path: ['to'] }),
  z.refine(({ from, to }) => hoursBetween(from, to) <= MAX_STATS_RANGE_HOURS, { message: `must be at most ${MAX_STATS_RANGE_HOURS / 24} days after from`, path: ['to'] }),
);
