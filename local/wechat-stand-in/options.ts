import type { Clock } from '../../shared/ports/clock';
import { systemClock } from '../../shared/adapters/system/clock';
import type { PayQuirks } from './pay/quirks';
import { defaultTemplates, type SubscribeTemplate } from './templates';

export type WechatStandInOptions = {
  /** Default 3100; 0 picks a free port. */
  port?: number;
  host?: string;
  appid: string;
  appSecret: string;
  mchid: string;
  /** The serial our requests must carry in `serial_no`. */
  merchantSerialNo: string;
  /** Checks our `Authorization` signatures; our side keeps the private half. */
  merchantPublicKeyPem: string;
  /** 32 characters; encrypts notification resources. */
  apiV3Key: string;
  templates?: readonly SubscribeTemplate[];
  accessTokenLifetimeSeconds?: number;
  /** How long `cgi-bin/token` keeps the previous token working after issuing a new one. */
  accessTokenGraceSeconds?: number;
  /** stable_token hands out a new token once the current one has less than this left. */
  stableTokenRenewBeforeSeconds?: number;
  loginCodeLifetimeSeconds?: number;
  /** WeChat's notification retry schedule is divided by this (1000 turns 15 s into 15 ms). */
  notifyRetryCompression?: number;
  /** How long one notification attempt may take before it counts as failed (WeChat Pay: 5 s). */
  notifyTimeoutMs?: number;
  /** Refunds created through the API reach their outcome (SUCCESS unless armed otherwise) after this long. */
  refundDelayMs?: number;
  /** WeChat Pay behaviours that rest on reports, for the whole stand-in; README.md lists them and their defaults. */
  payQuirks?: Partial<PayQuirks>;
  /** Stands for the refund notify URL of the merchant console, used when a refund request names none. */
  refundNotifyUrl?: string;
  /** Expiry of codes and tokens, the Authorization window, and the timestamps it signs. */
  clock?: Clock;
  /** Receives one JSON object per event; never keys, tokens, codes or decrypted payloads. */
  log?: (entry: Record<string, unknown>) => void;
};

export type StandInSettings = Required<Omit<WechatStandInOptions, 'refundNotifyUrl'>> & { refundNotifyUrl?: string };

export function withDefaults(options: WechatStandInOptions): StandInSettings {
  if (Buffer.byteLength(options.apiV3Key) !== 32) throw new Error('apiV3Key must be 32 bytes');
  // Picked one by one: callers often spread a whole merchant identity, whose private key the stand-in must not hold.
  const { appid, appSecret, mchid, merchantSerialNo, merchantPublicKeyPem, apiV3Key, refundNotifyUrl } = options;
  return {
    appid,
    appSecret,
    mchid,
    merchantSerialNo,
    merchantPublicKeyPem,
    apiV3Key,
    refundNotifyUrl,
    port: options.port ?? 3100,
    host: options.host ?? '127.0.0.1',
    templates: options.templates ?? defaultTemplates,
    accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds ?? 7200,
    accessTokenGraceSeconds: options.accessTokenGraceSeconds ?? 300,
    stableTokenRenewBeforeSeconds: options.stableTokenRenewBeforeSeconds ?? 300,
    loginCodeLifetimeSeconds: options.loginCodeLifetimeSeconds ?? 300,
    notifyRetryCompression: options.notifyRetryCompression ?? 1,
    notifyTimeoutMs: options.notifyTimeoutMs ?? 5_000,
    refundDelayMs: options.refundDelayMs ?? 1_000,
    payQuirks: options.payQuirks ?? {},
    clock: options.clock ?? systemClock,
    log: options.log ?? (() => undefined),
  };
}

/** What every part of the stand-in shares. */
export type StandInContext = {
  settings: StandInSettings;
  now(): Date;
  log(entry: Record<string, unknown>): void;
  /** Openids this stand-in issued or was told about; others are "not a user of this app". */
  knownOpenids: Set<string>;
  count(operation: string): void;
};
