import { percentile } from '../abuse/slow-clients';

export type RouteStats = { route: string; requests: number; p50: number; p99: number; max: number; status5xx: number; status4xx: number };

/** Latency and status of every request, per route. */
export class LoadRecorder {
  private readonly samples = new Map<string, Array<{ ms: number; status: number }>>();

  record(route: string, ms: number, status: number): void {
    const list = this.samples.get(route) ?? [];
    list.push({ ms, status });
    this.samples.set(route, list);
  }

  get total(): number {
    return [...this.samples.values()].reduce((n, list) => n + list.length, 0);
  }

  stats(): RouteStats[] {
    return [...this.samples]
      .map(([route, list]) => {
        const times = list.map((s) => s.ms);
        return {
          route,
          requests: list.length,
          p50: percentile(times, 50),
          p99: percentile(times, 99),
          max: Math.max(...times),
          status5xx: list.filter((s) => s.status >= 500 || s.status === 0).length,
          status4xx: list.filter((s) => s.status >= 400 && s.status < 500).length,
        };
      })
      .sort((a, b) => b.requests - a.requests);
  }

  markdown(): string {
    const rows = this.stats().map((s) => `| ${s.route} | ${s.requests} | ${s.p50} | ${s.p99} | ${s.max} | ${s.status4xx} | ${s.status5xx} |`);
    return ['| Route | Requests | p50 (ms) | p99 (ms) | max (ms) | 4xx | 5xx |', '|---|---:|---:|---:|---:|---:|---:|', ...rows].join('\n');
  }
}
