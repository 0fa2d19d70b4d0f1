import { percentile } from '../abuse/slow-clients';

export type RouteStats = { route: string; requests: number; p50: number; p99: number; max: number; status5xx: number; status4xx: number; codes4xx: string };

/** Latency and status of every request, per route. */
export class LoadRecorder {
  private readonly samples = new Map<string, Array<{ ms: number; status: number; code?: string }>>();

  record(route: string, ms: number, status: number, code?: string): void {
    const list = this.samples.get(route) ?? [];
    list.push({ ms, status, code });
    this.samples.set(route, list);
  }

  /** Every 4xx code answered, with how often. */
  refusals(): Map<string, number> {
    const codes = new Map<string, number>();
    for (const list of this.samples.values()) for (const { status, code = '?' } of list) if (status >= 400 && status < 500) codes.set(code, (codes.get(code) ?? 0) + 1);
    return codes;
  }

  get total(): number {
    return [...this.samples.values()].reduce((n, list) => n + list.length, 0);
  }

  stats(): RouteStats[] {
    return [...this.samples]
      .map(([route, list]) => {
        const times = list.map((s) => s.ms);
        const refused = list.filter((s) => s.status >= 400 && s.status < 500);
        const codes = new Map<string, number>();
        for (const { code = '?' } of refused) codes.set(code, (codes.get(code) ?? 0) + 1);
        return {
          route,
          requests: list.length,
          p50: percentile(times, 50),
          p99: percentile(times, 99),
          max: Math.max(...times),
          status5xx: list.filter((s) => s.status >= 500 || s.status === 0).length,
          status4xx: refused.length,
          codes4xx: [...codes].map(([code, n]) => `${code} ${n}`).join(', '),
        };
      })
      .sort((a, b) => b.requests - a.requests);
  }

  markdown(): string {
    const rows = this.stats().map((s) => `| ${s.route} | ${s.requests} | ${s.p50} | ${s.p99} | ${s.max} | ${s.status4xx}${s.codes4xx ? ` (${s.codes4xx})` : ''} | ${s.status5xx} |`);
    return ['| Route | Requests | p50 (ms) | p99 (ms) | max (ms) | 4xx (codes) | 5xx |', '|---|---:|---:|---:|---:|---|---:|', ...rows].join('\n');
  }
}
