import { emptyBucket, hourStartsBetween, type HourBucket } from '../../domain/admin/order-stats';
import type { OrderStats } from '../../ports/admin';

/**
 * The hourly figures of [from, to) for the console: one bucket per hour overlapping the range, oldest first, hours
 * without activity as zeros. The range (at most MAX_STATS_RANGE_HOURS) is checked at the edge.
 */
export async function hourlyStats(deps: { stats: Pick<OrderStats, 'buckets'> }, input: { from: Date; to: Date }): Promise<{ buckets: HourBucket[] }> {
  const hours = hourStartsBetween(input.from, input.to);
  if (hours.length === 0) return { buckets: [] };
  const found = new Map((await deps.stats.buckets(hours[0] as string, hours[hours.length - 1] as string)).map((bucket) => [bucket.hourStart, bucket]));
  return { buckets: hours.map((hourStart) => found.get(hourStart) ?? emptyBucket(hourStart)) };
}
