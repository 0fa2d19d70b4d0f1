import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { FAULT_KINDS, faultPointsOf, pointName, type FaultKind, type FaultPoint } from './faults';
import type { Flow, Prepared } from './flows';
import type { Violation } from './invariants';
import { campaignMode, recordRow } from './results';
import { World } from './world';

export type ScenarioResult = { name: string; point?: FaultPoint; fired: boolean; violations: Violation[]; raw500s: string[]; failedInvocations: string[]; ms: number };

/** How long a killed consumer polls for its message: long enough for a timeout message to fall due. */
const KILLED_POLL_MS = 4_000;

/** One scheduled run of the point's consumer in a child process that SIGKILLs itself at the step; its exit signal. */
function killedRun(world: World, point: FaultPoint): Promise<NodeJS.Signals | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', 'killed-consumer.ts')], {
    env: { ...process.env, LOG_LEVEL: 'SILENT', RELIABILITY_KILL: JSON.stringify({ point, settings: world.settings, pollMs: KILLED_POLL_MS }) },
    stdio: 'ignore',
  });
  return new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
}

/**
 * The flow run as its caller runs it, with the fault armed in process, or followed by a run of the point's consumer in
 * a child killed at its step. Tells afterwards whether the fault happened (a webhook's fault fires when WeChat Pay
 * delivers, after the run).
 */
async function runFaulted(world: World, prepared: Prepared, point?: FaultPoint): Promise<() => boolean> {
  if (!point?.sigkill) {
    world.injector.arm();
    await prepared.run();
    return () => world.injector.hasFired;
  }
  await prepared.run();
  const killed = (await killedRun(world, point)) === 'SIGKILL';
  return () => killed;
}

/**
 * One scenario: prepare without faults, run the flow as its caller would (retrying as it would) with the fault armed,
 * let the aftermath settle (relay, redeliveries, check-back, WeChat Pay's retries), then check every invariant and
 * what the flow must have achieved.
 */
export async function runScenario(world: World, flow: Flow, point?: FaultPoint): Promise<ScenarioResult & { traces: World['injector']['traces'] }> {
  const started = Date.now();
  const injector = world.begin(point?.sigkill ? undefined : point);
  const prepared = await flow.prepare(world);
  const fired = await runFaulted(world, prepared, point);
  await world.settle(prepared.scope);
  const violations = [...(await world.check(prepared.scope)), ...(await prepared.expect())];
  const name = point ? pointName(point) : `${flow.name}: no fault`;
  return { name, point, fired: fired(), violations, raw500s: world.raw500s, failedInvocations: world.failedInvocations, ms: Date.now() - started, traces: injector.traces };
}

/** `component step kind`, and `SIGKILL` after it for a real kill of the component's process. */
export function parsePoint(text: string): FaultPoint {
  const [component, step, kind, sigkill] = text.split(' ');
  if (!component || !step || !FAULT_KINDS.includes(kind as FaultKind) || (sigkill !== undefined && sigkill !== 'SIGKILL')) throw new Error(`not a fault point: "${text}"`);
  return { component, step, kind: kind as FaultKind, ...(sigkill ? { sigkill: true } : {}) };
}

export type FlowReport = {
  flow: string;
  planned: number;
  injected: number;
  /** Planned points whose step the run never reached, where the steps are the flow's own (a failure). */
  notReached: string[];
  /**
   * Planned points of a long poll that the run did not reach: how many receives (and check-back rounds) a consumer
   * needs depends on how the broker batches and when it offers a half message, so a recording run may have made one
   * more than the faulted run needs. Reported, not failed.
   */
  pollDependent: string[];
  /** Scenarios that broke something, with what. */
  failures: string[];
  violations: number;
  lost: number;
  raw500s: string[];
  failedInvocations: string[];
};

const dependsOnPolling = (point?: FaultPoint) => point !== undefined && (/^mq(Source|Checks)\./.test(point.step) || point.component === 'checkBack');

function report(flow: Flow, planned: number, results: ScenarioResult[]): FlowReport {
  const faulted = results.filter((r) => !r.name.endsWith('no fault'));
  const violations = results.flatMap((r) => r.violations);
  return {
    flow: flow.name,
    planned,
    injected: faulted.filter((r) => r.fired).length,
    notReached: faulted.filter((r) => !r.fired && !dependsOnPolling(r.point)).map((r) => r.name),
    pollDependent: faulted.filter((r) => !r.fired && dependsOnPolling(r.point)).map((r) => r.name),
    failures: results.filter((r) => r.violations.length > 0).map((r) => `${r.name}: ${r.violations.map((v) => `[${v.invariant}] ${v.detail}`).join('; ')}`),
    violations: violations.length,
    lost: violations.filter((v) => v.lost).length,
    raw500s: results.flatMap((r) => r.raw500s.map((e) => `${r.name}: ${e}`)),
    failedInvocations: results.flatMap((r) => r.failedInvocations.map((e) => `${r.name}: ${e}`)),
  };
}

function notes(flowReport: FlowReport, results: ScenarioResult[]): string {
  const killed = results.filter((r) => r.name.endsWith('SIGKILL')).length;
  return [
    killed ? `${killed} by a real SIGKILL` : '',
    flowReport.pollDependent.length ? `${flowReport.pollDependent.length} more planned on a long poll's extra round, not reached` : '',
    flowReport.raw500s.length ? `${flowReport.raw500s.length} raw 500s to a client` : '',
    flowReport.failedInvocations.length ? `${flowReport.failedInvocations.length} scheduled runs ended in an error and ran again` : '',
    `${Math.round(results.reduce((ms, r) => ms + r.ms, 0) / 1000)} s`,
  ]
    .filter(Boolean)
    .join('; ');
}

/**
 * The flow under every fault point: in `npm test` its few quick points; in the full campaign a recording run (no
 * fault) first, whose I/O steps, times every fault kind, are the points then injected one scenario each, then the
 * points where a real SIGKILL replaces the simulated crash.
 */
export async function runFlow(world: World, flow: Flow): Promise<FlowReport> {
  const results: ScenarioResult[] = [];
  let points = flow.quick.map(parsePoint);
  if (campaignMode() === 'full') {
    const baseline = await runScenario(world, flow);
    results.push(baseline);
    points = [...faultPointsOf(baseline.traces, flow.components), ...flow.killed.map(parsePoint)];
  }
  for (const point of points) results.push(await runScenario(world, flow, point));
  const flowReport = report(flow, points.length, results);
  recordRow({ scenario: `fault matrix: ${flow.name}`, faultPoints: flowReport.injected, violations: flowReport.violations, dataLost: flowReport.lost, notes: notes(flowReport, results) });
  return flowReport;
}

/**
 * A test file's part of the matrix: one world for its flows, one test per flow (in `npm test` only flows with quick
 * points). Each must inject every planned point and break no invariant.
 */
export function describeMatrix(title: string, matrixFlows: Flow[]): void {
  let world: World;
  beforeAll(async () => {
    world = await World.start();
  }, 60_000);
  afterAll(() => world.stop());

  const full = campaignMode() === 'full';
  describe(`fault matrix: ${title}`, () => {
    it.each(matrixFlows.filter((flow) => full || flow.quick.length > 0))(
      '$name keeps every invariant whichever I/O step fails, however it fails',
      async (flow) => {
        const flowReport = await runFlow(world, flow);
        expect(flowReport.failures).toEqual([]);
        expect(flowReport.notReached).toEqual([]);
        expect(flowReport.raw500s).toEqual([]);
        expect(flowReport.injected + flowReport.pollDependent.length).toBe(flowReport.planned);
        expect(flowReport.pollDependent.length).toBeLessThanOrEqual(flowReport.planned / 10);
      },
      full ? 30 * 60_000 : 120_000,
    );
  });
}
