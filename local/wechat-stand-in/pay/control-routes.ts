import * as z from 'zod';
import { controlBody, json, type Route, type StandInRequest, type StandInResponse } from '../http';
import { callsField, scopeFields, type Armory } from './armory';
import type { RefundStatus } from './book';
import { payFaultSchema, type ArmedPayFault } from './faults';
import { NOTIFICATION_FAULTS, type Notifier } from './notifier';
import { payQuirksSchema, type QuirkBook } from './quirks';
import type { refundHandlers } from './refunds';
import type { sandboxTrades } from './sandbox-trades';

export type ControlParts = {
  payFaults: Armory<ArmedPayFault>;
  refundOutcomes: Armory<RefundStatus>;
  quirks: QuirkBook;
  notifier: Notifier;
  refunds: ReturnType<typeof refundHandlers>;
  trades: ReturnType<typeof sandboxTrades>;
};

const notificationFaultsBody = z.strictObject({ faults: z.array(z.enum(NOTIFICATION_FAULTS)), ...scopeFields, eventType: z.string().min(1).optional() });
const refundOutcomeBody = z.strictObject({ ...scopeFields, status: z.enum(['SUCCESS', 'CLOSED', 'ABNORMAL', 'PROCESSING']), calls: callsField });
const settleBody = z.strictObject({ status: z.enum(['SUCCESS', 'CLOSED', 'ABNORMAL']) });
const quirksBody = z.strictObject({ ...payQuirksSchema.partial().shape, outTradeNo: z.string().min(1) });
const resetBody = z.strictObject(scopeFields);

/** Runs `then` with the body read by `schema`, or answers 400 VALIDATION_FAILED. */
const withBody =
  <S extends z.ZodType>(schema: S, then: (body: z.output<S>, request: StandInRequest) => StandInResponse) =>
  (request: StandInRequest): StandInResponse => {
    const body = controlBody(schema, request);
    return body.ok ? then(body.value, request) : body.response;
  };

/** The `/__sandbox/*` routes that drive WeChat Pay: the user's actions, time, outcomes, faults and quirks (README.md). */
export function payControlRoutes(parts: ControlParts): Route[] {
  const { payFaults, refundOutcomes, quirks, notifier, refunds, trades } = parts;

  const armPayFault = withBody(payFaultSchema, ({ operation, outTradeNo, outRefundNo, fault, calls, applied = fault === 'TIMEOUT' }) => {
    const entry = payFaults.arm({ operation, outTradeNo, outRefundNo }, { fault, applied }, calls);
    return json(200, { id: entry.id, ...entry.where, fault, calls: entry.calls, applied });
  });

  const armNotificationFaults = withBody(notificationFaultsBody, ({ faults, ...where }) => {
    notifier.faults.arm(where, faults);
    return json(200, { armed: faults, ...where });
  });

  const armRefundOutcome = withBody(refundOutcomeBody, ({ status, calls, ...where }) => {
    const entry = refundOutcomes.arm(where, status, calls);
    return json(200, { id: entry.id, ...entry.where, refundStatus: status, calls: entry.calls });
  });

  const listNotifications = (request: StandInRequest) => {
    const filter = Object.fromEntries(['outTradeNo', 'outRefundNo'].flatMap((key) => request.url.searchParams.getAll(key).map((value) => [key, value])));
    const items = notifier.records().filter((record) => Object.entries(filter).every(([key, value]) => record[key as 'outTradeNo' | 'outRefundNo'] === value));
    return json(200, { items });
  };

  const reset = withBody(resetBody, (where) => {
    const cleared = payFaults.clear(where) + refundOutcomes.clear(where) + notifier.faults.clear(where);
    if (where.outTradeNo !== undefined) quirks.clear(where.outTradeNo);
    else if (where.outRefundNo === undefined) quirks.clear();
    return json(200, { cleared });
  });

  const outTradeNo = '(?<outTradeNo>[^/]+)';
  return [
    { method: 'POST', path: new RegExp(`^/__sandbox/pay/${outTradeNo}$`), handle: trades.userPays },
    { method: 'GET', path: new RegExp(`^/__sandbox/pay/${outTradeNo}$`), handle: trades.read },
    { method: 'POST', path: new RegExp(`^/__sandbox/pay/${outTradeNo}/elapse$`), handle: trades.elapse },
    { method: 'POST', path: /^\/__sandbox\/refunds\/(?<outRefundNo>[^/]+)$/, handle: withBody(settleBody, ({ status }, request) => refunds.settleNow(request.params.outRefundNo ?? '', status)) },
    { method: 'POST', path: /^\/__sandbox\/refund-outcomes$/, handle: armRefundOutcome },
    { method: 'POST', path: /^\/__sandbox\/pay-faults$/, handle: armPayFault },
    { method: 'GET', path: /^\/__sandbox\/pay-faults$/, handle: () => json(200, { items: payFaults.list() }) },
    { method: 'POST', path: /^\/__sandbox\/pay-quirks$/, handle: withBody(quirksBody, ({ outTradeNo: no, ...overrides }) => json(200, { outTradeNo: no, quirks: quirks.override(no, overrides) })) },
    { method: 'POST', path: /^\/__sandbox\/notification-faults$/, handle: armNotificationFaults },
    { method: 'GET', path: /^\/__sandbox\/notifications$/, handle: listNotifications },
    { method: 'POST', path: /^\/__sandbox\/reset$/, handle: reset },
  ];
}
