import { FAULT_KINDS, faultPointsOf, pointName, type FaultKind, type FaultPoint } from './faults';
import type { Flow } from './flows';
import type { Violation } from './invariants';
import { campaignMode, recordRow, type CampaignRow } from './results';
import type { World } from './world';

export type ScenarioResult = { name: string; fired: boolean; violations: Violation[]; unexpected: string[]; ms: number };

/**
 * One scenario: prepare without faults, arm the injector, run the flow as its caller would (retrying as it would),
 * let the aftermath settle (relay, redeliveries, check-back, WeChat Pay's retries), then check every invariant and
 * what the flow must have achieved.
 */
export async function runScenario(world: World, flow: Flow, point?: FaultPoint): Promise<ScenarioResult & { traces: World['injector']['traces'] }> {
  const started = Date.now();
  const injector = world.begin(point);
  const prepared = await flow.prepare(world);
  injector.arm();
  await prepared.run();
  await world.settle(prepared.scope);
  const violations = [...(await world.check(prepared.scope)), ...(await prepared.expect())];
  return { name: point ? pointName(point) : `${flow.name}: no fault`, fired: injector.hasFired, violations, unexpected: world.unexpected, ms: Date.now() - started, traces: injector.traces };
}

export function parsePoint(text: string): FaultPoint {
  const [component, step, kind] = text.split(' ');
  if (!component || !step || !FAULT_KINDS.includes(kind as FaultKind)) throw new Error(`not a fault point: "${text}"`);
  return { component, step, kind: kind as FaultKind };
}

export type FlowReport = {
  flow: string;
  planned: number;
  injected: number;
  /** Planned points whose step this run never reached (timing-dependent steps, such as a long poll's second receive). */
  notReached: string[];
  /** Scenarios that broke something, with what. */
  failures: string[];
  violations: number;
  lost: number;
  unexpected: string[];
};

function report(flow: Flow, planned: number, results: ScenarioResult[]): FlowReport {
  const faulted = results.filter((r) => !r.name.endsWith('no fault'));
  const violations = results.flatMap((r) => r.violations);
  return {
    flow: flow.name,
    planned,
    injected: faulted.filter((r) => r.fired).length,
    notReached: faulted.filter((r) => !r.fired).map((r) => r.name),
    failures: results.filter((r) => r.violations.length > 0).map((r) => `${r.name}: ${r.violations.map((v) => `[${v.invariant}] ${v.detail}`).join('; ')}`),
    violations: violations.length,
    lost: violations.filter((v) => v.lost).length,
    unexpected: results.flatMap((r) => r.unexpected.map((u) => `${r.name}: ${u}`)),
  };
}

/**
 * The flow under every fault point: in `npm test` its few quick points; in the full campaign a recording run (no
 * fault) first, whose I/O steps, times every fault kind, are the points then injected one scenario each.
 */
export async function runFlow(world: World, flow: Flow): Promise<FlowReport> {
  const results: ScenarioResult[] = [];
  let points = flow.quick.map(parsePoint);
  if (campaignMode() === 'full') {
    const baseline = await runScenario(world, flow);
    results.push(baseline);
    points = faultPointsOf(baseline.traces, flow.components);
  }
  for (const point of points) results.push(await runScenario(world, flow, point));
  const flowReport = report(flow, points.length, results);
  const row: CampaignRow = {
    scenario: `fault matrix: ${flow.name}`,
    faultPoints: flowReport.injected,
    violations: flowReport.violations,
    dataLost: flowReport.lost,
    notes: [
      flowReport.notReached.length ? `${flowReport.notReached.length} of ${points.length} planned steps not reached` : '',
      flowReport.unexpected.length ? `${flowReport.unexpected.length} unmapped errors` : '',
      `${Math.round(results.reduce((ms, r) => ms + r.ms, 0) / 1000)} s`,
    ]
      .filter(Boolean)
      .join('; '),
  };
  recordRow(row);
  return flowReport;
}
