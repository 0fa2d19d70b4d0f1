import type { KeyObject } from 'node:crypto';
import * as z from '../../schemas/zod';
import type { Clock } from '../../ports/clock';
import { systemClock } from '../system/clock';
import {
  PaymentNotificationRejectedError,
  type PaymentNotification,
  type PaymentNotificationVerifier,
  type RawNotification,
  type RefundNotification,
} from '../../ports/payment-gateway';
import { decryptResource } from './pay-crypto';
import { refundSchema, toPayment, toRefund, transactionSchema } from './pay-mapping';
import { checkWechatpaySignature } from './pay-signature';

export type PaymentNotificationVerifierDeps = {
  appid: string;
  mchid: string;
  /** The 32-byte APIv3 key. */
  apiV3Key: Buffer;
  wechatpayPublicKeys: ReadonlyMap<string, KeyObject>;
  clock?: Clock;
};

/** A notification as WeChat Pay posts it (its resource still encrypted); the API document describes the webhooks with it. */
export const envelopeSchema = z.object({
  id: z.string(),
  create_time: z.string(),
  event_type: z.string(),
  resource_type: z.optional(z.string()),
  resource: z.object({
    algorithm: z.string(),
    ciphertext: z.string(),
    associated_data: z.optional(z.string()),
    nonce: z.string(),
    original_type: z.string(),
  }),
});
type Envelope = z.output<typeof envelopeSchema>;

const paymentEvents = ['TRANSACTION.SUCCESS'] as const;
const refundEvents = ['REFUND.SUCCESS', 'REFUND.ABNORMAL', 'REFUND.CLOSED'] as const;

const reject = (reason: PaymentNotificationRejectedError['reason'], detail: string) => new PaymentNotificationRejectedError(reason, detail);

function rawBodyOf(raw: RawNotification): Buffer {
  if (raw.body === undefined || raw.body === '') throw reject('MALFORMED_BODY', 'empty body');
  // API Gateway base64-encodes bodies it considers binary; the signature covers the original bytes.
  return raw.isBase64Encoded ? Buffer.from(raw.body, 'base64') : Buffer.from(raw.body, 'utf8');
}

function lowerCaseHeaders(headers: RawNotification['headers']): (name: string) => string | undefined {
  const byName = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return (name) => byName.get(name);
}

function parseEnvelope(rawBody: Buffer): Envelope {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw reject('MALFORMED_BODY', 'body is not JSON');
  }
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success) throw reject('MALFORMED_BODY', 'body is not a WeChat Pay notification');
  return parsed.data;
}

function decryptJson(envelope: Envelope, apiV3Key: Buffer): unknown {
  const { resource } = envelope;
  if (resource.algorithm !== 'AEAD_AES_256_GCM') throw reject('UNSUPPORTED_ALGORITHM', `algorithm ${resource.algorithm}`);
  let plaintext: string;
  try {
    plaintext = decryptResource({ ciphertext: resource.ciphertext, nonce: resource.nonce, associatedData: resource.associated_data ?? '' }, apiV3Key);
  } catch {
    throw reject('DECRYPTION_FAILED', 'resource does not authenticate with the APIv3 key');
  }
  try {
    return JSON.parse(plaintext);
  } catch {
    throw reject('MALFORMED_RESOURCE', 'decrypted resource is not JSON');
  }
}

/**
 * Verifies and decrypts WeChat Pay's payment and refund notifications, doing every must-do of docs/protocols/wechat-apis.md
 * section 6 before anything in them is trusted: raw body (base64 from the gateway decoded), header names in any case,
 * required headers, replay window before RSA, serial allow-list, RSA-SHA256, event and resource type,
 * authenticated AES-256-GCM decryption, then our mchid (and appid for payments). Each refusal is a
 * PaymentNotificationRejectedError whose `reason` says why.
 */
export function createPaymentNotificationVerifier(deps: PaymentNotificationVerifierDeps): PaymentNotificationVerifier {
  const clock = deps.clock ?? systemClock;

  function openEnvelope(raw: RawNotification, events: readonly string[], originalType: string) {
    const rawBody = rawBodyOf(raw);
    const rejection = checkWechatpaySignature(lowerCaseHeaders(raw.headers), rawBody, deps.wechatpayPublicKeys, clock.now());
    if (rejection) throw reject(rejection.reason, rejection.detail);
    const envelope = parseEnvelope(rawBody);
    if (!events.includes(envelope.event_type)) throw reject('UNEXPECTED_EVENT', `event_type ${envelope.event_type}`);
    if (envelope.resource.original_type !== originalType) throw reject('UNEXPECTED_EVENT', `original_type ${envelope.resource.original_type}`);
    return { envelope, resource: decryptJson(envelope, deps.apiV3Key) };
  }

  function checkMchid(mchid: string | undefined): void {
    if (mchid !== deps.mchid) throw reject('MCHID_MISMATCH', 'mchid is not ours');
  }

  return {
    verifyPayment(raw): PaymentNotification {
      const { envelope, resource } = openEnvelope(raw, paymentEvents, 'transaction');
      const parsed = transactionSchema.safeParse(resource);
      if (!parsed.success) throw reject('MALFORMED_RESOURCE', 'resource is not a transaction');
      checkMchid(parsed.data.mchid);
      if (parsed.data.appid !== deps.appid) throw reject('APPID_MISMATCH', 'appid is not ours');
      // The event says SUCCESS; the transaction itself must agree before anything is marked paid.
      if (parsed.data.trade_state !== 'SUCCESS') throw reject('NOT_PAID', `trade_state ${parsed.data.trade_state}`);
      return { id: envelope.id, createdAt: envelope.create_time, eventType: 'TRANSACTION.SUCCESS', payment: toPayment(parsed.data) };
    },

    verifyRefund(raw): RefundNotification {
      const { envelope, resource } = openEnvelope(raw, refundEvents, 'refund');
      const parsed = refundSchema.safeParse(resource);
      if (!parsed.success) throw reject('MALFORMED_RESOURCE', 'resource is not a refund');
      checkMchid(parsed.data.mchid);
      return { id: envelope.id, createdAt: envelope.create_time, eventType: envelope.event_type as RefundNotification['eventType'], refund: toRefund(parsed.data) };
    },
  };
}
