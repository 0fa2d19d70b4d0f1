import * as z from 'zod';
import { SILENCE, type Silence, type StandInResponse } from '../http';
import { callsField, scopeFields } from './armory';
import { payError } from './book';
import { SIGNATURE_FAULTS, type SignatureFault } from './wechatpay-signer';

/** The WeChat Pay API operations, named as in `GET /__sandbox/stats`. */
export const PAY_OPERATIONS = ['pay.prepay', 'pay.query', 'pay.close', 'refund.create', 'refund.query'] as const;
export type PayOperation = (typeof PAY_OPERATIONS)[number];

/**
 * Answers WeChat Pay gives instead of the result (docs/protocols/wechat-apis.md 4.3 and 4.8). The 202 is documented as "accepted,
 * not processed: repeat with the same parameters"; WeChat names it USERPAYING on payment-code payments.
 */
const ANSWER_FAULTS = {
  SYSTEM_ERROR: { status: 500, message: '系统错误' },
  FREQUENCY_LIMITED: { status: 429, message: '你的操作过于频繁，请稍后再试' },
  NOT_ENOUGH: { status: 403, message: '基本账户余额不足，请充值后重新发起' },
  USERPAYING: { status: 202, message: '用户支付中，需要输入密码' },
} as const;

type AnswerFault = keyof typeof ANSWER_FAULTS;

export const PAY_FAULTS = [...(Object.keys(ANSWER_FAULTS) as AnswerFault[]), 'TIMEOUT', ...SIGNATURE_FAULTS] as const;
export type PayFault = (typeof PAY_FAULTS)[number];

export type ArmedPayFault = { fault: PayFault; applied: boolean };

export const payFaultSchema = z.strictObject({
  operation: z.enum(PAY_OPERATIONS).optional(),
  ...scopeFields,
  fault: z.enum(PAY_FAULTS),
  calls: callsField,
  /** Whether the call takes effect behind the fault; by default only behind a TIMEOUT. */
  applied: z.boolean().optional(),
});

const isSignatureFault = (fault: PayFault): fault is SignatureFault => (SIGNATURE_FAULTS as readonly string[]).includes(fault);

/**
 * The answer to a call hit by a fault. `run` performs the call (the write happens) and `sign` signs a 2xx answer,
 * optionally spoiling its signature. A signature fault spoils the real answer; a TIMEOUT never answers; the other
 * faults answer their error (or the 202) whether or not the call was applied.
 */
export function answerUnderFault(
  { fault, applied }: ArmedPayFault,
  run: () => StandInResponse,
  sign: (response: StandInResponse, spoil?: SignatureFault) => StandInResponse,
): StandInResponse | Silence {
  if (isSignatureFault(fault)) return sign(run(), fault);
  if (applied) run();
  if (fault === 'TIMEOUT') return SILENCE;
  const { status, message } = ANSWER_FAULTS[fault];
  return sign(payError(status, fault, message));
}
