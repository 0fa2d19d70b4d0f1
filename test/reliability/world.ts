import type { Context } from 'aws-lambda';
import { consumerGroups, type ConsumerGroupKey, type MessageName } from '../../shared/messages/contracts';
import { toErrorResponse } from '../../shared/lambda/http-errors';
import { logger } from '../../shared/logging/logger';
import { mqConsumer, type ConsumedMessage } from '../../shared/lambda/mq-consumer';
import { fakeContext } from '../../shared/testing/lambda';
import { grantNewUserCoupon } from '../../shared/use-cases/coupons/grant-new-user-coupon';
import { sendOrderNotice } from '../../shared/use-cases/notices/send-order-notice';
import { cancelUnpaidOrder } from '../../shared/use-cases/ordering/cancel-order';
import { acceptPaymentNotification, acceptRefundNotification } from '../../shared/use-cases/payment/payment-webhook';
import { runCheckBack } from '../../shared/use-cases/refunds/check-back';
import { grantOrderReward } from '../../shared/use-cases/refunds/finish-order';
import { executeRefund, giveCouponBack } from '../../shared/use-cases/refunds/refund-consumers';
import { overrideEnv } from '../support/env';
import { startPrivateMq, type PrivateMq } from '../support/private-mq';
import { startPrivateWechat, type PrivateWechat } from '../support/private-wechat';
import { NEW_USER_TEMPLATE, REWARD_TEMPLATE, useCaseDeps, type UseCaseDeps, type WorldSettings } from './components';
import { FaultInjector, type FaultPoint } from './faults';
import { checkInvariants, type Scope, type Violation } from './invariants';
import { loadAdapters, portsFor, type Adapters, type Ports } from './ports';
import { settle } from './settle';
import { startWebhookReceiver, type WebhookReceiver } from './webhooks';

/** What a consumer group's function does with one message, given its component's dependencies. */
export type ConsumerSpec = { component: string; messages: readonly MessageName[]; ordered?: boolean; handle: (deps: UseCaseDeps, message: ConsumedMessage<any>) => Promise<unknown> };

/** The consumer functions of serverless.yml, by group, each a component of the campaign. */
export const CONSUMERS: Partial<Record<ConsumerGroupKey, ConsumerSpec>> = {
  newUserCoupon: { component: 'couponConsumer', messages: ['UserRegistered'], handle: (d, m) => grantNewUserCoupon(d.grantCoupon, { userId: m.body.userId }) },
  orderTimeout: { component: 'timeoutConsumer', messages: ['OrderPayTimeout'], handle: (d, m) => cancelUnpaidOrder(d.cancel, { orderId: m.body.orderId }) },
  orderNotice: { component: 'noticeConsumer', messages: ['OrderStatusChanged'], ordered: true, handle: (d, m) => sendOrderNotice(d.notice, m.body) },
  refundExecutor: { component: 'refundExecutor', messages: ['OrderRefunded'], handle: (d, m) => executeRefund(d.payments, m.body) },
  refundCoupon: { component: 'refundCoupon', messages: ['OrderRefunded'], handle: (d, m) => giveCouponBack(d.giveCouponBack, m.body) },
  orderReward: { component: 'rewardConsumer', messages: ['OrderFinished'], handle: (d, m) => grantOrderReward(d.reward, m.body) },
};

/** Deliveries before the world's broker dead-letters a message; the consumers are told it (MQ_MAX_DELIVERIES). */
const MAX_DELIVERIES = 16;
/**
 * The consumer log lines resources/alarms.yml mails the operators about, for one message each (its messageId): how
 * production learns of a message before the MQ dead-letters it, Aliyun's dead-letter queue being out of CloudWatch.
 */
const ALARMED_LINES = ['poison message', 'message about to be dead-lettered'];

/** A consumer run given this budget long-polls exactly once (1 s), as a scheduled run would, then returns. */
export const ONE_POLL_MS = 5_000 + 1_050;

/** The consumer function of a campaign component (`timeoutConsumer` -> the orderTimeout group's). */
export function consumerOf(component: string): [ConsumerGroupKey, ConsumerSpec] | undefined {
  return (Object.entries(CONSUMERS) as Array<[ConsumerGroupKey, ConsumerSpec]>).find(([, spec]) => spec.component === component);
}

/** A consumer function whose use case runs on `deps` and whose source comes from `source`. */
export function consumerHandler(group: ConsumerGroupKey, spec: ConsumerSpec, deps: UseCaseDeps, source: Ports['source']) {
  return mqConsumer({
    consumer: spec.component,
    messages: spec.messages,
    ordered: spec.ordered,
    source: () => source({ group, messages: spec.messages, ordered: spec.ordered }),
    handle: (message) => spec.handle(deps, message).then(() => undefined),
  });
}

export type ClientOutcome<T> = { value?: T; status: number; code?: string; attempts: number };

/**
 * The campaign's world: the jest run's DynamoDB and Redis, a broker and a WeChat stand-in of its own (short
 * redelivery and retry times), the two webhooks, and every component of the shop built on fault-injected ports. One
 * scenario at a time: `begin` a fault point, prepare, arm, run, `settle`, `check`.
 */
export class World {
  injector = new FaultInjector();
  /** Errors no table maps: what an HTTP caller would have got as a raw 500. */
  raw500s: string[] = [];
  /** Scheduled invocations that ended in an error (Lambda counts it; the next run tries again). */
  failedInvocations: string[] = [];
  /** Replaces a component's ports with broken ones: how a test shows that the campaign catches a real bug. */
  mutant?: (component: string, ports: Ports) => Ports;
  /** Messages a consumer logged an alarmed line for (ALARMED_LINES), whatever the log level lets through. */
  readonly alarmedMessageIds = new Set<string>();
  private readonly undo: Array<() => void> = [];

  private constructor(
    readonly mq: PrivateMq,
    readonly wechat: PrivateWechat,
    private readonly receiver: WebhookReceiver,
    readonly adapters: Adapters,
    readonly settings: WorldSettings,
  ) {}

  static async start(options: { payTimeoutSeconds?: number } = {}): Promise<World> {
    const mq = await startPrivateMq({ invisibilitySeconds: 1, orderlyInvisibilitySeconds: 1, halfCheckIntervalSeconds: 1, minTransCheckSeconds: 1, maxDeliveries: MAX_DELIVERIES });
    // WeChat Pay's notification retries 30 times faster (0.5 s, 0.5 s, 1 s, 6 s...), refunds settled after 100 ms.
    const wechat = await startPrivateWechat({ notifyRetryCompression: 30, refundDelayMs: 100 });
    const holder: { world?: World } = {};
    const receiver = await startWebhookReceiver((component, raw) => holder.world!.deliverNotification(component, raw));
    const settings: WorldSettings = {
      payTimeoutSeconds: options.payTimeoutSeconds ?? 2,
      notifyUrl: receiver.payUrl,
      refundNotifyUrl: receiver.refundUrl,
      grantLeaseSeconds: 2,
      checkBackAfterSeconds: 1,
      rollbackAfterSeconds: 2,
    };
    const world = new World(mq, wechat, receiver, await loadAdapters(), settings);
    holder.world = world;
    world.undo.push(overrideEnv({ MQ_MAX_DELIVERIES: String(MAX_DELIVERIES) }), world.watchAlarmedLines());
    // The broker keeps a group's queue from its first poll on: poll each once, so that backlogs show from the start.
    await Promise.all((Object.keys(CONSUMERS) as ConsumerGroupKey[]).map((group) => world.poll(group)));
    return world;
  }

  /** Notes the messages of the consumers' alarmed lines, as CloudWatch's metric filters would; returns the undo. */
  private watchAlarmedLines(): () => void {
    const error = logger.error;
    logger.error = ((input: unknown, ...extra: unknown[]) => {
      const messageId = (extra[0] as { messageId?: unknown } | undefined)?.messageId;
      if (typeof input === 'string' && typeof messageId === 'string' && ALARMED_LINES.some((line) => input.startsWith(line))) this.alarmedMessageIds.add(messageId);
      return error.call(logger, input as string, ...(extra as []));
    }) as typeof logger.error;
    return () => {
      logger.error = error;
    };
  }

  get sandbox() {
    return this.wechat.sandbox;
  }

  /** A new scenario: a fresh injector (unarmed, so that setup neither counts nor fails) for this fault point. */
  begin(point?: FaultPoint): FaultInjector {
    this.injector = new FaultInjector(point);
    this.raw500s = [];
    this.failedInvocations = [];
    return this.injector;
  }

  deps(component: string): UseCaseDeps {
    const ports = portsFor(this.injector, component, this.adapters);
    return useCaseDeps(this.mutant?.(component, ports) ?? ports, this.settings);
  }

  /**
   * An HTTP client calling a function: every attempt a new invocation; a dropped answer or a 5xx is retried with the
   * same input (an order's requestId), a 4xx is the answer (`retryable` says which 4xx codes a client retries).
   */
  async asClient<T>(component: string, attempt: (deps: UseCaseDeps) => Promise<T>, retryable: (code: string) => boolean = () => false): Promise<ClientOutcome<T>> {
    for (let attempts = 1; attempts <= 8; attempts++) {
      this.injector.revive(component);
      try {
        const value = await attempt(this.deps(component));
        if (!this.injector.crashed(component)) return { value, status: 200, attempts };
      } catch (error) {
        if (!this.injector.crashed(component)) {
          const mapped = toErrorResponse(error);
          if (!mapped) this.raw500s.push(`${component}: ${(error as Error).message}`);
          if (mapped && mapped.statusCode < 500 && !retryable(mapped.code)) return { status: mapped.statusCode, code: mapped.code, attempts };
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return { status: 0, attempts: 8 };
  }

  /** One delivery of a WeChat Pay notification to its webhook: a new invocation each time. */
  async deliverNotification(component: 'payWebhook' | 'refundWebhook', raw: Parameters<typeof acceptPaymentNotification>[1]): Promise<{ crashed: boolean }> {
    this.injector.revive(component);
    const { webhook } = this.deps(component);
    try {
      if (component === 'payWebhook') await acceptPaymentNotification(webhook, raw);
      else await acceptRefundNotification(webhook, raw);
    } catch (error) {
      if (this.injector.crashed(component)) return { crashed: true };
      throw error;
    }
    return { crashed: this.injector.crashed(component) };
  }

  /** The consumer groups this world runs, by their configured (suffixed) names. */
  consumerGroupNames(): Map<string, ConsumerGroupKey> {
    return new Map((Object.keys(CONSUMERS) as ConsumerGroupKey[]).map((key) => [process.env[consumerGroups[key].env] as string, key]));
  }

  /** One scheduled run of a consumer function (a new invocation): one long poll, its batch processed and acked. */
  async poll(group: ConsumerGroupKey): Promise<void> {
    const spec = CONSUMERS[group];
    if (!spec) return;
    this.injector.revive(spec.component);
    const handler = consumerHandler(group, spec, this.deps(spec.component), portsFor(this.injector, spec.component, this.adapters).source);
    await this.invocation(spec.component, () => handler({ source: 'aws.events' }, fakeContext(spec.component, ONE_POLL_MS) as Context));
  }

  /** One scheduled run of the check-back: one long poll of the half messages due for a check. */
  async checkBack(): Promise<void> {
    this.injector.revive('checkBack');
    const until = Date.now() + 1_050;
    await this.invocation('checkBack', () => runCheckBack(this.deps('checkBack').checkBack, { remainingMs: () => until - Date.now() }));
  }

  /** A scheduled invocation that throws has failed (Lambda counts an error; the schedule runs it again). */
  private async invocation(component: string, run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (error) {
      if (!this.injector.crashed(component)) this.failedInvocations.push(`${component}: ${(error as Error).message}`);
    }
  }

  /** Runs the relay, consumers, check-back, WeChat Pay's notifications and the refund reconciler until nothing is left. */
  settle(scope: Scope): Promise<void> {
    return settle(this, scope);
  }

  check(scope: Scope): Promise<Violation[]> {
    // Alerted: a consumer logged a line the operators are alarmed on for the message before it was dead-lettered (the
    // broker's own `mq.dead-letter` line has no production counterpart: Aliyun's dead-letter queue is not in CloudWatch).
    const alerted = (messageId: string) => this.alarmedMessageIds.has(messageId);
    return checkInvariants(scope, { sandbox: this.sandbox, mqUrl: this.mq.broker.url, alerted, newUserTemplateId: NEW_USER_TEMPLATE, rewardTemplateId: REWARD_TEMPLATE });
  }

  async stop(): Promise<void> {
    await this.receiver.close();
    await this.wechat.stop();
    await this.mq.stop();
    this.mq.restoreEnv();
    for (const undo of this.undo.splice(0).reverse()) undo();
  }
}
