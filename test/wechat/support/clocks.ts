import type { Clock } from '../../../shared/ports/clock';

export type ManualClock = Clock & { advance(ms: number): void };

/** A clock that moves only when told to. */
export function manualClock(start = new Date()): ManualClock {
  let nowMs = start.getTime();
  return { now: () => new Date(nowMs), advance: (ms) => void (nowMs += ms) };
}

/** A clock running `factor` times faster than real time, to match a compressed retry schedule. */
export function compressedClock(factor: number): Clock & { at(realMs: number): Date } {
  const startMs = Date.now();
  const at = (realMs: number) => new Date(startMs + (realMs - startMs) * factor);
  return { now: () => at(Date.now()), at };
}
