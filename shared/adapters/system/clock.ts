import type { Clock } from '../../ports/clock';

/** The clock deployed code runs on. */
export const systemClock: Clock = { now: () => new Date() };
