const CHINA_OFFSET_MS = 8 * 60 * 60 * 1_000;

/** RFC 3339 in China time, as WeChat Pay writes `create_time` and `success_time`. */
export function chinaTime(instant: Date): string {
  return `${new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

/** `time_expire` must carry an explicit offset (`2025-05-20T13:29:35+08:00`); anything else is a PARAM_ERROR. */
export function parseTimeExpire(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?[+-]\d{2}:\d{2}$/.test(value)) return undefined;
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? undefined : instant;
}
