import { randomBytes } from 'node:crypto';
import type { StandInContext } from '../options';
import type { Scheduler } from '../scheduler';
import { createArmory, type Armory } from './armory';
import { encryptResource, tamper } from './signing';
import { SIGNATURE_FAULTS, type SignatureFault, type WechatpaySigner } from './wechatpay-signer';
import { chinaTime } from './time';

/**
 * Faults for the next notification, or the next one of a trade or refund (see README.md). Signature faults and
 * tampering spoil only the first attempt, as a forger or a WeChat probe would, so the retries that follow are genuine;
 * AMOUNT_MISMATCH changes the content itself; DUPLICATE delivers the notification once more after it was accepted.
 */
export const NOTIFICATION_FAULTS = [...SIGNATURE_FAULTS, 'TAMPERED_CIPHERTEXT', 'TAMPERED_TAG', 'AMOUNT_MISMATCH', 'DUPLICATE'] as const;
export type NotificationFault = (typeof NOTIFICATION_FAULTS)[number];

/** WeChat Pay's retry schedule after a missing, failed or slow answer: 15 retries over 24h4m. */
const RETRY_SCHEDULE_SECONDS = [15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600];
/** Only these answers end a delivery (docs/protocols/wechat-apis.md 4.7); any other status, a redirect included, is a failure. */
const DELIVERED_STATUSES: ReadonlySet<number> = new Set([200, 204]);

export type NotificationDraft = {
  url: string;
  eventType: string;
  summary: string;
  originalType: 'transaction' | 'refund';
  resource: Record<string, unknown>;
  outTradeNo: string;
  outRefundNo?: string;
};

type Attempt = { attempt: number; at: string; status?: number; error?: string; fault?: string; duplicate?: boolean };

export type NotificationRecord = {
  id: string;
  eventType: string;
  outTradeNo: string;
  outRefundNo?: string;
  faults: NotificationFault[];
  attempts: Attempt[];
  delivered: boolean;
  gaveUp: boolean;
};

export type Notifier = {
  /** Faults armed for the next notification matching `{ outTradeNo?, outRefundNo?, eventType? }`. */
  faults: Armory<NotificationFault[]>;
  send(draft: NotificationDraft): NotificationRecord;
  records(): readonly NotificationRecord[];
  /** Aborts the attempts in flight; pending retries die with the scheduler. */
  close(): void;
};

type Delivery = { record: NotificationRecord; url: string; body: string; firstBody: string; firstFault?: SignatureFault; firstFaultName?: string };

function mismatchAmount(resource: Record<string, unknown>, originalType: NotificationDraft['originalType']): Record<string, unknown> {
  const amount = { ...(resource.amount as Record<string, number>) };
  const [paid, payer] = originalType === 'transaction' ? (['total', 'payer_total'] as const) : (['refund', 'payer_refund'] as const);
  amount[paid] = (amount[paid] ?? 0) + 1;
  amount[payer] = (amount[payer] ?? 0) + 1;
  return { ...resource, amount };
}

/** A local stand-in must never send traffic off this machine, whatever notify_url it was given. */
function isLoopback(url: string): boolean {
  const { hostname } = new URL(url);
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** Real notification ids are UUIDs of version 5 (`c17f5eaf-0a90-5e4c-9ec8-e1f068addfcf`), not the documents' `EV-...` example. */
function notificationId(): string {
  const bytes = randomBytes(16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
}

/**
 * Delivers TRANSACTION/REFUND notifications the way WeChat Pay does: an encrypted resource (APIv3 key, AAD = the
 * original type) in a signed envelope, a fresh timestamp, nonce and signature on every attempt, retried on any answer
 * but 200 or 204 (redirects are not followed), a connection error or a timeout, on WeChat's schedule divided by the
 * configured compression.
 */
export function createNotifier(context: StandInContext, signer: WechatpaySigner, scheduler: Scheduler): Notifier {
  const { settings } = context;
  const { later } = scheduler;
  const records: NotificationRecord[] = [];
  const inFlight = new Set<AbortController>();
  const faults = createArmory<NotificationFault[]>();

  async function post(url: string, body: string, fault: SignatureFault | undefined): Promise<{ status?: number; error?: string }> {
    if (!isLoopback(url)) return { error: 'not sent: the stand-in only notifies loopback addresses' };
    const controller = new AbortController();
    inFlight.add(controller);
    const timeout = setTimeout(() => controller.abort(), settings.notifyTimeoutMs);
    try {
      const headers = { 'content-type': 'application/json', 'user-agent': 'Mozilla/4.0', ...signer.headersFor(body, fault) };
      const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: controller.signal });
      await response.arrayBuffer();
      return { status: response.status };
    } catch (error) {
      return { error: controller.signal.aborted ? 'timeout' : error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timeout);
      inFlight.delete(controller);
    }
  }

  async function attempt(delivery: Delivery, index: number, duplicate = false): Promise<void> {
    const { record } = delivery;
    const first = index === 0 && !duplicate;
    const at = context.now().toISOString();
    const outcome = await post(delivery.url, first ? delivery.firstBody : delivery.body, first ? delivery.firstFault : undefined);
    if (scheduler.closed) return;
    record.attempts.push({ attempt: index + 1, at, ...outcome, ...(first && delivery.firstFaultName ? { fault: delivery.firstFaultName } : {}), ...(duplicate ? { duplicate } : {}) });
    context.log({ event: 'notify.attempt', id: record.id, eventType: record.eventType, outTradeNo: record.outTradeNo, attempt: index + 1, duplicate, ...outcome });
    const accepted = outcome.status !== undefined && DELIVERED_STATUSES.has(outcome.status);
    if (duplicate) return;
    if (accepted) {
      record.delivered = true;
      if (record.faults.includes('DUPLICATE')) later(0, () => void attempt(delivery, index + 1, true));
      return;
    }
    const waitSeconds = RETRY_SCHEDULE_SECONDS[index];
    if (waitSeconds === undefined) {
      record.gaveUp = true;
      return;
    }
    later((waitSeconds * 1_000) / settings.notifyRetryCompression, () => void attempt(delivery, index + 1));
  }

  function prepare(draft: NotificationDraft, armed: NotificationFault[]): Delivery {
    const now = context.now();
    const record: NotificationRecord = { id: notificationId(), eventType: draft.eventType, outTradeNo: draft.outTradeNo, outRefundNo: draft.outRefundNo, faults: armed, attempts: [], delivered: false, gaveUp: false };
    const resource = armed.includes('AMOUNT_MISMATCH') ? mismatchAmount(draft.resource, draft.originalType) : draft.resource;
    const encrypted = encryptResource(JSON.stringify(resource), settings.apiV3Key, draft.originalType);
    const envelope = { id: record.id, create_time: chinaTime(now), resource_type: 'encrypt-resource', event_type: draft.eventType, summary: draft.summary, resource: encrypted };
    const body = JSON.stringify(envelope);
    const tampering = armed.find((fault) => fault === 'TAMPERED_TAG' || fault === 'TAMPERED_CIPHERTEXT');
    const tamperedResource = tampering && { ...encrypted, ciphertext: tamper(encrypted.ciphertext, tampering === 'TAMPERED_TAG' ? 'tag' : 'data') };
    const firstBody = tamperedResource ? JSON.stringify({ ...envelope, resource: tamperedResource }) : body;
    const firstFault = armed.find((fault): fault is SignatureFault => (SIGNATURE_FAULTS as readonly string[]).includes(fault));
    return { record, url: draft.url, body, firstBody, firstFault, firstFaultName: firstFault ?? tampering };
  }

  return {
    faults,
    send(draft) {
      const delivery = prepare(draft, faults.take({ outTradeNo: draft.outTradeNo, outRefundNo: draft.outRefundNo, eventType: draft.eventType }).flat());
      records.push(delivery.record);
      later(0, () => void attempt(delivery, 0));
      return delivery.record;
    },
    records: () => records,
    close() {
      for (const controller of inFlight) controller.abort();
    },
  };
}
