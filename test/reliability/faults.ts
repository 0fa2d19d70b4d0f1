import { DependencyUnavailableError } from '../../shared/ports/errors';
import { MqUnavailableError } from '../../shared/ports/messaging';
import { PaymentGatewayError, PaymentGatewayUnavailableError } from '../../shared/ports/payment-gateway';
import { WxSendOutcomeUnknownError, WxUnavailableError } from '../../shared/ports/wechat';

/**
 * How one I/O step fails. `crash-before`: the process dies before the call; `crash-after`: the call lands, then the
 * process dies before it reads the answer; `timeout`: the call lands, the caller waits past its budget and gets the
 * dependency's timeout error; `late`: the caller's timeout fires first and the call lands afterwards, racing the
 * caller's retry (DynamoDB's ambiguous commit); `error`: the dependency refuses (a transient error), nothing lands.
 */
export const FAULT_KINDS = ['crash-before', 'crash-after', 'timeout', 'late', 'error'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** One I/O step of a component's run: the `call`-th call of `port.method` since the injector was armed. */
export type Step = { port: string; method: string; call: number };
export const stepName = ({ port, method, call }: Step) => `${port}.${method}#${call}`;

/**
 * A fault point: which component (a function: an HTTP flow, a consumer, a webhook), which step, how it fails. `sigkill`:
 * the crash is a real SIGKILL of a child process running the component (consumers only), not a simulated one.
 */
export type FaultPoint = { component: string; step: string; kind: FaultKind; sigkill?: boolean };
export const pointName = (point: FaultPoint) => `${point.component} ${point.step} ${point.kind}${point.sigkill ? ' SIGKILL' : ''}`;

/** The process running a component died: nothing it does afterwards reaches anything. */
export class SimulatedCrash extends Error {
  override readonly name = 'SimulatedCrash';
}

/** The errors a dependency's adapter raises, so that the use case sees what it would see in production. */
export type FailureModes = { timeout: () => Error; error: () => Error };

const redisFailure = (message: string) => () => Object.assign(new Error(message), { name: 'ReplyError' });

export const failureModes = {
  dynamodb: { timeout: () => new DependencyUnavailableError('dynamodb', 'TimeoutError: injected, after the write landed'), error: () => new DependencyUnavailableError('dynamodb', 'ThrottlingException: injected') },
  mq: { timeout: () => new MqUnavailableError('injected timeout, after the request landed'), error: () => new MqUnavailableError('injected: connect ECONNREFUSED') },
  // ioredis's own errors: the Redis adapters catch them and fall back (Redis is a fast path).
  redis: { timeout: redisFailure('Command timed out'), error: redisFailure('connect ECONNREFUSED (injected)') },
  wechatPay: { timeout: () => new PaymentGatewayUnavailableError('injected timeout, after the call was applied'), error: () => new PaymentGatewayError(500, 'SYSTEM_ERROR', 'injected') },
  wechatLogin: { timeout: () => new WxUnavailableError('injected timeout'), error: () => new WxUnavailableError('injected: busy') },
  wechatSend: { timeout: () => new WxSendOutcomeUnknownError('injected timeout, after WeChat took it'), error: () => new WxUnavailableError('injected: connect ECONNREFUSED') },
} satisfies Record<string, FailureModes>;

/** How long a `timeout` fault keeps its caller waiting after the call landed (no caller here races it). */
const TIMEOUT_WAIT_MS = 20;
/** How long after its caller gave up a `late` call lands: after an immediate retry has begun. */
const LATE_LANDING_MS = 300;

/**
 * Fails one planned step of one component, and records every step of every component once armed (setup runs
 * unarmed: it neither counts nor fails). A crash kills the component's process: every later call of that component
 * throws SimulatedCrash without reaching anything, until its caller starts a new process (`revive`), as a retry, a
 * redelivery or a new Lambda container would.
 */
export class FaultInjector {
  private armed = false;
  private fired = false;
  private readonly counts = new Map<string, number>();
  private readonly dead = new Set<string>();
  private landing: Promise<unknown> = Promise.resolve();
  readonly traces = new Map<string, Step[]>();

  /** `onCrash`: what a crash does besides refusing the component's later calls (a child process kills itself). */
  constructor(
    readonly point?: FaultPoint,
    private readonly onCrash: () => void = () => undefined,
  ) {}

  arm(): void {
    this.armed = true;
  }

  get hasFired(): boolean {
    return this.fired;
  }

  /** A new process for the component (a retried request, a redelivery, a fresh container). */
  revive(component: string): void {
    this.dead.delete(component);
  }

  crashed(component: string): boolean {
    return this.dead.has(component);
  }

  /** Resolves once a `late` call has landed (or failed): what happens next no longer races it. */
  landed(): Promise<unknown> {
    return this.landing;
  }

  /**
   * The port with its I/O methods (`methods`, or every function it has) going through the injector. A generic Proxy,
   * so the adapter itself runs unchanged: only the call around it is failed.
   */
  wrap<T extends object>(component: string, port: string, target: T, modes: FailureModes, methods?: readonly string[]): T {
    return new Proxy(target, {
      get: (object, property) => {
        const value: unknown = Reflect.get(object, property, object);
        if (typeof value !== 'function' || typeof property !== 'string' || (methods && !methods.includes(property))) return value;
        return (...args: unknown[]) => this.call(component, { port, method: property }, modes, () => (value as (...a: unknown[]) => unknown).apply(object, args));
      },
    });
  }

  private async call(component: string, at: Omit<Step, 'call'>, modes: FailureModes, real: () => unknown): Promise<unknown> {
    if (this.dead.has(component)) throw new SimulatedCrash(`${component} crashed before ${at.port}.${at.method}`);
    if (!this.armed) return real();
    const key = `${component}/${at.port}.${at.method}`;
    const step: Step = { ...at, call: (this.counts.get(key) ?? 0) + 1 };
    this.counts.set(key, step.call);
    this.traces.set(component, [...(this.traces.get(component) ?? []), step]);
    const point = this.point;
    if (this.fired || !point || point.component !== component || point.step !== stepName(step)) return real();
    this.fired = true;
    return this.fail(component, point.kind, modes, real);
  }

  private crash(component: string, when: string): never {
    this.dead.add(component);
    this.onCrash();
    throw new SimulatedCrash(`${component} crashed ${when} (injected)`);
  }

  private async fail(component: string, kind: FaultKind, modes: FailureModes, real: () => unknown): Promise<unknown> {
    if (kind === 'error') throw modes.error();
    if (kind === 'late') {
      this.landing = new Promise((resolve) => setTimeout(resolve, LATE_LANDING_MS)).then(real).catch(() => undefined);
      throw modes.timeout();
    }
    if (kind === 'crash-before') this.crash(component, 'before the call');
    await real();
    if (kind === 'crash-after') this.crash(component, 'after the call landed');
    await new Promise((resolve) => setTimeout(resolve, TIMEOUT_WAIT_MS));
    throw modes.timeout();
  }
}

/** Every fault point of the steps a recording run of each component made, in order. */
export function faultPointsOf(traces: ReadonlyMap<string, Step[]>, components: readonly string[]): FaultPoint[] {
  return components.flatMap((component) => (traces.get(component) ?? []).flatMap((step) => FAULT_KINDS.map((kind) => ({ component, step: stepName(step), kind }))));
}
