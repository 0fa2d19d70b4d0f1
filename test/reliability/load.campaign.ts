import type { RunningStack } from '../../local/stack';
import { freePort } from '../../local/services/free-port';
import { overrideEnv } from '../support/env';
import { sandboxClient } from '../wechat/support/stand-in';
import { seededRandom } from './fuzz/random';
import { checkInvariants, type Scope } from './invariants';
import { LoadRecorder } from './load/recorder';
import { virtualShopper, type LoadShopper, type LoadTarget } from './load/shoppers';
import { recordRow, recordSection } from './results';

// A bounded load run on loopback against the whole local stack, started in this process (every handler behind the
// local gateway, every consumer and scheduled job running as `npm start` runs them, in-memory data): closed-loop
// virtual shoppers log in, browse, fill carts, order, pay through the WeChat Pay stand-in, cancel, refund and finish
// for 60 s. Then: no 5xx, no message lost, and the invariants of the fault matrix over everything they did.
const SECONDS = Number(process.env.RELIABILITY_LOAD_SECONDS ?? 60);
const SHOPPERS = 12;
/** Unpaid orders are cancelled by their timeout message this long after they were placed. */
const PAY_TIMEOUT_SECONDS = 15;
const PRODUCTS = { latte: 1_000_000, americano: 1_000_000, bagel: 1_000_000 };
/**
 * The only refusals a shopper sending what the API gave them may get: business rules (a coupon below its threshold
 * or held by an unpaid order) and races with their own orders. A malformed-request code would be our bug.
 */
const EXPECTED_REFUSALS = new Set(['COUPON_NOT_USABLE', 'ORDER_NOT_CANCELLABLE', 'ORDER_NOT_PAYABLE', 'ORDER_NOT_REFUNDABLE', 'ORDER_NOT_CONFIRMABLE', 'ORDER_NOT_FINISHABLE', 'PAYMENT_IN_PROGRESS']);

let stack: RunningStack;
let restoreEnv: () => void;
beforeAll(async () => {
  restoreEnv = overrideEnv({ ORDER_PAY_TIMEOUT_SECONDS: String(PAY_TIMEOUT_SECONDS), LOG_LEVEL: 'SILENT' });
  const { startStack } = await import('../../local/stack');
  // Redelivery after 10 s instead of Aliyun's 300 s, so that a failed message is retried within the run's drain.
  stack = await startStack({ apiPort: await freePort(), writeEnvFile: false, quiet: true, mqInvisibilitySeconds: 10, notifyRetryCompression: 15, log: () => undefined });
}, 120_000);
afterAll(async () => {
  await stack.stop();
  restoreEnv();
});

async function adminPut(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${stack.apiUrl}${path}`, { method: 'PUT', headers: { 'content-type': 'application/json', 'x-admin-key': stack.env.ADMIN_API_KEY as string }, body: JSON.stringify(body) });
  if (response.status !== 200) throw new Error(`PUT ${path}: ${response.status} ${await response.text()}`);
}

/** The load's own store, with stock that cannot run out: conservation is then checked over every order it took. */
async function loadStore(): Promise<string> {
  const storeId = 'load-store';
  await adminPut(`/admin/stores/${storeId}`, { name: '压测门店', address: '上海市测试路1号', location: { lat: 31.2, lng: 121.4 }, openHours: '00:00-24:00', status: 'OPEN' });
  for (const [productId, stock] of Object.entries(PRODUCTS)) await adminPut(`/admin/stores/${storeId}/products/${productId}`, { name: productId, priceFen: 1_800, stock });
  return storeId;
}

type TopicStats = { topic: string; halfMessages: number; groups: Array<{ group: string; waiting: number; inFlight: number }> };

/** Waits until the stack has nothing left to do: every queue drained (timeouts due included), every notification delivered. */
async function drained(scope: Scope): Promise<number> {
  const started = Date.now();
  const sandbox = sandboxClient(stack.env.WXPAY_BASE_URL as string);
  for (;;) {
    const { topics } = (await (await fetch(`${stack.env.MQ_ENDPOINT}/__admin/topics`)).json()) as { topics: TopicStats[] };
    const queued = topics.flatMap((t) => t.groups.filter((g) => !/tx_producer/.test(g.group))).reduce((n, g) => n + g.waiting + g.inFlight, 0);
    const { items } = (await sandbox.notifications()) as { items: Array<{ delivered: boolean; gaveUp: boolean }> };
    const notifying = items.filter((n) => !n.delivered && !n.gaveUp).length;
    if (queued === 0 && notifying === 0 && (await checkInvariants(scope, { sandbox, mqUrl: stack.env.MQ_ENDPOINT as string })).length === 0) return Date.now() - started;
    if (Date.now() - started > 180_000) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

it(`serves a ${SECONDS} s mixed load without a 5xx, loses no message, and keeps every invariant`, async () => {
  const storeId = await loadStore();
  const target: LoadTarget = { apiUrl: stack.apiUrl, standInUrl: stack.env.WXPAY_BASE_URL as string, adminKey: stack.env.ADMIN_API_KEY as string, storeId, products: Object.keys(PRODUCTS) };
  const recorder = new LoadRecorder();
  const until = Date.now() + SECONDS * 1000;
  const shoppers: LoadShopper[] = (await Promise.all(Array.from({ length: SHOPPERS }, (_, i) => virtualShopper(target, recorder, seededRandom(1_000 + i), until)))).flat();

  const scope: Scope = { users: shoppers.map((s) => ({ ...s, newUser: true })), stores: [{ storeId, initialStock: PRODUCTS }] };
  const drainMs = await drained(scope);
  const violations = await checkInvariants(scope, { sandbox: sandboxClient(stack.env.WXPAY_BASE_URL as string), mqUrl: stack.env.MQ_ENDPOINT as string });
  const stats = recorder.stats();
  const errors5xx = stats.reduce((n, s) => n + s.status5xx, 0);
  const unexpectedRefusals = [...recorder.refusals()].filter(([code]) => !EXPECTED_REFUSALS.has(code));
  console.log(`${recorder.total} requests in ${SECONDS} s by ${SHOPPERS} shoppers; drained in ${(drainMs / 1000).toFixed(1)} s\n${recorder.markdown()}`);
  recordRow({
    scenario: `load: ${SHOPPERS} closed-loop shoppers, mixed, ${SECONDS} s`,
    requests: recorder.total,
    violations: violations.length + errors5xx + unexpectedRefusals.length,
    dataLost: violations.filter((v) => v.lost).length,
    notes: `${Math.round(recorder.total / SECONDS)} req/s; ${shoppers.length} shoppers; ${errors5xx} 5xx; drained ${(drainMs / 1000).toFixed(1)} s after`,
  });
  recordSection({ title: `Load: latency per route (${SHOPPERS} shoppers, ${SECONDS} s, loopback, 2 cores shared with the whole stack)`, markdown: recorder.markdown() });
  expect(errors5xx).toBe(0);
  expect(unexpectedRefusals).toEqual([]);
  expect(violations).toEqual([]);
  expect(recorder.total).toBeGreaterThan(SECONDS * 10);
});
