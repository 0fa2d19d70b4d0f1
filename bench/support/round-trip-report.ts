// Prints what the counting proxies saw over requests of a few kinds: round trips per system (all, and on the critical
// path), the critical path itself, a median request's timeline and each operation's median time.
import { consensusShape, perSystem, render, type Shape, type Trips } from './critical-path';
import { SYSTEMS, type System } from './dependencies';
import { spread, summarize } from './stats';

export type ReportOptions = {
  /** What one request is: `login`, `order`. */
  noun: string;
  /** The kinds of request, in column order: `first`, `returning`. */
  kinds: string[];
};

/** The critical path of each kind, from the timestamps of all its requests. */
export const shapesOf = (trips: Trips[], kinds: string[]): Record<string, Shape> =>
  Object.fromEntries(kinds.map((kind) => [kind, consensusShape(trips.filter((t) => t.kind === kind))]));

function printTripTable(trips: Trips[], shapes: Record<string, Shape>, { noun, kinds }: ReportOptions): void {
  const totals = (kind: string, system?: System) =>
    spread(trips.filter((t) => t.kind === kind).map((t) => (system ? perSystem(t.calls)[system] : t.calls.length)));
  const critical = (kind: string, system?: System) => String((shapes[kind] as Shape).critical.filter((name) => !system || shapes[kind]?.systems.get(name) === system).length);
  const width = (kind: string) => Math.max(12, `${kind}: total`.length);
  const counted = kinds.map((kind) => trips.filter((t) => t.kind === kind).length);
  console.log('');
  console.log(`Round trips per ${noun}, counted by proxies in front of each dependency (${spread(counted)} ${noun}s of each kind, warm container)`);
  console.log(`${'system'.padEnd(10)} ${kinds.map((kind) => `${`${kind}: total`.padStart(width(kind))}  ${'critical path'.padStart(13)}`).join('  ')}`);
  for (const system of [...SYSTEMS, undefined]) {
    const cells = kinds.map((kind) => `${totals(kind, system).padStart(width(kind))}  ${critical(kind, system).padStart(13)}`);
    console.log(`${(system ?? 'all').padEnd(10)} ${cells.join('  ')}`);
  }
}

function printShapes(shapes: Record<string, Shape>, { noun, kinds }: ReportOptions): void {
  console.log('');
  console.log(`Critical path, derived from the proxies' timestamps over all counted ${noun}s of a kind: round trips that overlapped`);
  console.log('in any request are parallel (||); one waited for another if it always started after that one ended.');
  for (const kind of kinds) {
    const shape = shapes[kind] as Shape;
    const branches = shape.critical.length < shape.parents.size ? ` (ends last in ${shape.criticalIn}/${shape.requests} ${noun}s)` : '';
    console.log(`${kind} ${noun}: ${shape.critical.length} sequential round trips on the critical path${branches}`);
    console.log(`  all round trips: ${render(shape)}`);
    console.log(`  critical path:   ${shape.critical.join(' -> ')}`);
    if (shape.requests < shape.of) console.log(`  ${shape.of - shape.requests}/${shape.of} ${noun}s made other round trips and were left out of this shape`);
  }
}

/** When each round trip of one request started and ended, from the moment the client sent the request. */
export function printTimeline(title: string, trip: Trips): void {
  console.log(`  ${title}, ${(trip.end - trip.start).toFixed(1)} ms:`);
  for (const c of [...trip.calls].sort((a, b) => a.start - b.start)) {
    console.log(`    ${(c.start - trip.start).toFixed(1).padStart(6)} -> ${(c.end - trip.start).toFixed(1).padStart(6)} ms  ${c.system.padEnd(9)} ${c.op}`);
  }
}

/** The request whose latency is the median of its kind: a representative one. */
function medianOf(trips: Trips[], kind: string): Trips {
  const mine = trips.filter((t) => t.kind === kind).sort((a, b) => a.end - a.start - (b.end - b.start));
  return mine[Math.floor(mine.length / 2)] as Trips;
}

/** Median time of each kind of round trip as the proxy saw it (one loopback hop more than the handler sees). */
function printOpTimes(trips: Trips[], { kinds }: ReportOptions): void {
  console.log('');
  console.log(`Round trip times at the proxies, median ms (${kinds.join(' / ')}):`);
  const ops = [...new Set(trips.flatMap((t) => t.calls.map((c) => `${c.system}\t${c.op}`)))];
  const column = Math.max(36, ...ops.map((key) => key.split('\t')[1]?.length ?? 0));
  for (const key of ops) {
    const [system, op] = key.split('\t') as [string, string];
    const median = (kind: string) => {
      const values = trips.filter((t) => t.kind === kind).flatMap((t) => t.calls.filter((c) => c.system === system && c.op === op).map((c) => c.end - c.start));
      return values.length ? summarize(values).p50.toFixed(2) : '-';
    };
    console.log(`  ${system.padEnd(9)} ${op.padEnd(column)} ${kinds.map((kind) => median(kind).padStart(6)).join(' / ')}`);
  }
}

/** The round-trip table, the critical paths, a median request of each kind and the operations' times. */
export function printRoundTripReport(trips: Trips[], options: ReportOptions): Record<string, Shape> {
  const shapes = shapesOf(trips, options.kinds);
  printTripTable(trips, shapes, options);
  printShapes(shapes, options);
  console.log('');
  console.log(`Representative ${options.noun}s (the median of each kind), times at the proxies from when the client sent the request:`);
  for (const kind of options.kinds) printTimeline(`${kind} ${options.noun}`, medianOf(trips, kind));
  printOpTimes(trips, options);
  return shapes;
}
