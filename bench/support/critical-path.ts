// Which round trips a request waited for, rebuilt from the counting proxies' timestamps over many requests.
import type { ProxiedCall } from './counting-proxy';
import { SYSTEMS, type System } from './dependencies';
import { mode, summarize } from './stats';

/** One request as its client timed it (performance.now() of the process that holds the proxies), of a named kind. */
export type Timed = { kind: string; start: number; end: number };

/** A request with the round trips that started while it was under way (requests run one at a time). */
export type Trips<T extends Timed = Timed> = T & { calls: ProxiedCall[] };

export const tripsOf = <T extends Timed>(request: T, calls: ProxiedCall[]): Trips<T> => ({
  ...request,
  calls: calls.filter((c) => c.start >= request.start && c.start <= request.end),
});

export const perSystem = (calls: ProxiedCall[]) => Object.fromEntries(SYSTEMS.map((system) => [system, calls.filter((c) => c.system === system).length])) as Record<System, number>;

/** One request's round trips by name; a name seen twice in a request becomes `name#2`. */
function byName(calls: ProxiedCall[]): Map<string, ProxiedCall> {
  const named = new Map<string, ProxiedCall>();
  for (const call of [...calls].sort((a, b) => a.start - b.start)) {
    let name = call.op;
    for (let n = 2; named.has(name); n++) name = `${call.op}#${n}`;
    named.set(name, call);
  }
  return named;
}

export type Shape = {
  /** What each round trip waited for; undefined: only the request. */
  parents: Map<string, string | undefined>;
  systems: Map<string, System>;
  /** Requests that had exactly these round trips, out of `of`. */
  requests: number;
  of: number;
  /** The chain the response waited for (it ended last in `criticalIn` of the requests). */
  critical: string[];
  criticalIn: number;
};

/**
 * Rebuilds what each round trip waited for from the timestamps of many requests of one kind. One request cannot tell
 * a dependency from a coincidence (a parallel call that happens to end first, or a next call delayed by CPU work in
 * between), many can:
 *  - two round trips are parallel if they overlapped in any request;
 *  - B waited for A if A ended before B started in every request; B's cause is the latest such A (the one all others
 *    end before); if several qualify, the one B follows closest (median gap), since a handler sends its next call as
 *    soon as the answer it awaits arrives.
 */
export function consensusShape(requests: Trips[]): Shape {
  const named = requests.map((r) => byName(r.calls));
  const signature = (m: Map<string, ProxiedCall>) => [...m.keys()].sort().join('\n');
  const common = mode(named, signature).value;
  const sameAt = named.flatMap((m, i) => (signature(m) === signature(common) ? [i] : []));
  const same = sameAt.map((i) => named[i] as Map<string, ProxiedCall>);
  /** When the client had its answer in the request behind `same[k]`. */
  const answeredAt = (k: number) => (requests[sameAt[k] as number] as Trips).end;
  const names = [...common.keys()];
  const call = (m: Map<string, ProxiedCall>, name: string) => m.get(name) as ProxiedCall;
  const before = (a: string, b: string) => a !== b && same.every((m) => call(m, a).end <= call(m, b).start);
  const gap = (a: string, b: string) => summarize(same.map((m) => call(m, b).start - call(m, a).end)).p50;
  const parents = new Map<string, string | undefined>();
  for (const b of names) {
    const waitedFor = names.filter((a) => before(a, b));
    const latest = waitedFor.filter((a) => !waitedFor.some((c) => before(a, c)));
    parents.set(b, latest.sort((x, y) => gap(x, b) - gap(y, b))[0]);
  }
  // The answer waited for the round trip that ended last before it; one still running then (an outbox mark left in the
  // background) is off the critical path.
  const lastEnding = mode(
    same.map((m, k) => {
      const awaited = names.filter((name) => call(m, name).end <= answeredAt(k));
      return (awaited.length ? awaited : names).reduce((latest, name) => (call(m, name).end > call(m, latest).end ? name : latest));
    }),
    (name) => name,
  );
  const critical: string[] = [];
  for (let name: string | undefined = lastEnding.value; name; name = parents.get(name)) critical.unshift(name);
  return {
    parents,
    systems: new Map(names.map((name) => [name, call(common, name).system as System])),
    requests: same.length,
    of: named.length,
    critical,
    criticalIn: lastEnding.count,
  };
}

/** `a -> b -> [c -> d || e -> f]`, parallel branches sorted so that the same shape always prints the same. */
export function render(shape: Shape, after?: string): string {
  const next = [...shape.parents].filter(([, parent]) => parent === after).map(([name]) => name);
  const chain = (name: string) => {
    const rest = render(shape, name);
    return rest ? `${name} -> ${rest}` : name;
  };
  if (next.length <= 1) return next[0] === undefined ? '' : chain(next[0]);
  return `[${next.map(chain).sort().join(' || ')}]`;
}
