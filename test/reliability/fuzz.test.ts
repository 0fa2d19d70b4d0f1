import { loadRoutes } from '../../local/gateway/routes';
import { problemsOf } from './fuzz/checks';
import { seededRandom } from './fuzz/random';
import { fuzzRequest, type FuzzTargets } from './fuzz/requests';
import { closeAgent, sendAll } from './fuzz/send';
import { webhookRequest } from './fuzz/webhooks';
import { IsolatedShop } from './isolated-shop';
import { campaignMode, recordRow } from './results';

// Bad input over every route of serverless.yml and both webhooks, from a fixed seed: never a 5xx, never a change to
// any table (nor a message or a WeChat Pay call), always a JSON error with a code, never a stack, path or internal
// name in a body. The fuzzer never sends a request that could be valid (see fuzz/requests.ts).
const SEED = Number(process.env.RELIABILITY_FUZZ_SEED ?? 20261130);
const COUNT = campaignMode() === 'full' ? 10_000 : 1_000;

let shop: IsolatedShop;
beforeAll(async () => {
  shop = await IsolatedShop.start();
}, 120_000);
afterAll(async () => {
  closeAgent();
  await shop.stop();
});

it(`refuses ${COUNT} malformed, forged or unauthorised requests (seed ${SEED}) with a JSON 4xx and changes nothing`, async () => {
  const random = seededRandom(SEED);
  const routes = loadRoutes();
  const targets: FuzzTargets = {
    a: { token: shop.a.token, orderIds: [shop.a.waitPay, shop.a.paid] },
    b: { orderIds: [shop.b.waitPay, shop.b.paid] },
    expiredToken: shop.expiredToken,
    adminKey: shop.adminKey,
    storeId: shop.storeId,
  };
  const forged = webhookRequest(shop.wechat.standIn.config.wechatpayPublicKeyId);
  const [tablesBefore, outsideBefore] = [await shop.tables(), await shop.outside()];
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();

  const problems: string[] = [];
  const routesHit = new Set<string>();
  await sendAll(shop.api.gateway.url, COUNT, 8, () => fuzzRequest(random, routes, random.pick(routes), targets, forged), (request, response) => {
    routesHit.add(request.label.replace(/ \[.*$/, ''));
    for (const problem of problemsOf(request, response)) problems.push(`${request.label} ${request.method} ${request.path.slice(0, 120)}: ${problem}`);
  });

  await shop.quiesce();
  const changedTables = Object.entries(await shop.tables()).filter(([key, items]) => JSON.stringify(items) !== JSON.stringify(tablesBefore[key])).map(([key]) => key);
  const outsideAfter = await shop.outside();
  const polluted = Object.getOwnPropertyNames(Object.prototype).sort().join() !== prototypeBefore.join() || ({} as Record<string, unknown>).polluted !== undefined;
  recordRow({ scenario: `fuzz: every route and both webhooks (seed ${SEED})`, badInputs: COUNT, violations: problems.length + changedTables.length + Number(outsideAfter !== outsideBefore) + Number(polluted), dataLost: 0, notes: `${routesHit.size} routes` });

  expect(problems.slice(0, 20)).toEqual([]);
  expect(changedTables).toEqual([]);
  expect(outsideAfter).toBe(outsideBefore);
  expect(polluted).toBe(false);
  expect(routesHit.size).toBe(new Set(routes.map((r) => r.routeKey)).size);
}, 600_000);
