import type { ApiResponse } from '../../support/api';

/** The HTTP functions' timeout (serverless.yml `provider.timeout`): no answer may take longer. */
export const FUNCTION_BUDGET_MS = 10_000;
/** The campaign's bound on recovery once a dependency is back. */
export const RECOVERY_BOUND_MS = 60_000;

export type Probe = { route: string; status: number; code?: string; retryAfter?: string; ms: number; body?: any };

type Call = (method: string, path: string, options?: { body?: unknown; token?: string; headers?: Record<string, string> }) => Promise<ApiResponse & { headers: Headers }>;

/** One request during an outage, timed, with what a client needs to see: status, code, Retry-After. */
export async function probe(call: Call, method: string, path: string, options: Parameters<Call>[2] = {}): Promise<Probe> {
  const started = Date.now();
  const response = await call(method, path, options);
  const route = `${method} ${path.replace(/\/o[0-9a-f]{31}/, '/{orderId}')}`;
  return { route, status: response.status, code: response.body?.code, retryAfter: response.headers.get('retry-after') ?? undefined, ms: Date.now() - started, body: response.body };
}

/**
 * What an outage must never produce: a 5xx other than a 503 with the dependency's code and Retry-After, a 500 of any
 * kind, or an answer later than the function's budget.
 */
export function outageViolations(probes: Probe[], allowed: readonly string[]): string[] {
  return probes.flatMap((p) => {
    const problems: string[] = [];
    if (p.ms > FUNCTION_BUDGET_MS) problems.push(`${p.route} took ${p.ms} ms`);
    if (p.status >= 500 && (p.status !== 503 || !p.code || !allowed.includes(p.code) || p.retryAfter === undefined)) problems.push(`${p.route} answered ${p.status} ${p.code ?? ''} retry-after=${p.retryAfter ?? 'none'}`);
    if (p.status === 0) problems.push(`${p.route} got no answer`);
    return problems;
  });
}

/** Milliseconds from `since` until `ready` first holds, checking every `everyMs`; throws past the recovery bound. */
export async function recoveredAfter(since: number, ready: () => Promise<boolean>, everyMs = 200): Promise<number> {
  for (;;) {
    if (await ready().catch(() => false)) return Date.now() - since;
    if (Date.now() - since > RECOVERY_BOUND_MS) throw new Error(`not recovered ${RECOVERY_BOUND_MS} ms after the dependency returned`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
