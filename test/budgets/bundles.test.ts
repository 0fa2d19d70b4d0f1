import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { zip } from 'serverless-esbuild/dist/utils';
import { analyseFunction, CLIENT_KEYS, CLIENTS, clientsIn, entryInputs, type BundleAnalysis, type Client } from '../../bench/support/bundle-contents';
import { ZIP_BUDGET_BYTES } from '../../bench/support/budgets';
import { esbuildOptions, packageProd, PROJECT_ROOT, type Packaged, type PackagedFunction } from '../../bench/support/packaging';
import { readZip, zipSizes, type ZipSizes } from '../../bench/support/zip';

// The bundle budgets of issue 15, on the zips `serverless package --stage prod` writes: every zip, source map
// included, at most 300 KB; no function carrying a client it never uses. Timings are the benchmark's
// (`npm run bench`), not asserted here.

/**
 * The clients each function uses besides DynamoDB and the SSM secrets reader, which its IAM role decides (a bundle
 * may carry the DynamoDB client only if the role allows a dynamodb action, the secrets reader only if it allows
 * ssm:GetParametersByPath). A function missing here fails the test: declare what it talks to.
 */
const USES: Record<string, Client[]> = {
  login: ['mq', 'wechatApi'], // jscode2session; publishes UserRegistered
  getMyCoupons: ['redis'], // session cache
  newUserCouponConsumer: ['mq', 'redis'], // consumes UserRegistered; idempotency ledger
  getStores: ['redis'], // store cache
  getStore: ['redis'],
  getStoreProducts: ['redis'],
  adminPutStore: ['mq', 'redis'], // publishes StoreUpdated; refreshes the store cache
  adminPutProduct: ['mq', 'redis'],
  storeUpdatedConsumer: ['mq', 'redis'],
  outboxRelay: ['mq'],
  getCart: ['redis'], // session and store caches
  putCart: ['redis'],
  createOrder: ['mq', 'redis'], // publishes OrderCreated and its timeout; session and store caches
  listOrders: ['redis'], // session cache
  getOrder: ['redis'],
  cancelOrder: ['mq', 'redis', 'wechatPay'], // asks WeChat Pay whether the order was paid before cancelling it
  orderTimeoutConsumer: ['mq', 'redis', 'wechatPay'],
  orderSweep: ['mq', 'redis', 'wechatPay'],
  payOrder: ['redis', 'wechatPay'], // prepay; session cache; publishes nothing
  wxpayNotify: ['mq', 'redis', 'wechatPay'], // verifies; paid marks; publishes OrderStatusChanged
  wxpayRefundNotify: ['mq', 'wechatPay'], // verifies; publishes OrderStatusChanged (REFUNDED)
  adminConfirmOrder: ['mq'],
  refundOrder: ['mq', 'redis'], // transactional OrderRefunded; session cache
  adminRefundOrder: ['mq'],
  finishOrder: ['mq', 'redis'],
  adminFinishOrder: ['mq'],
  adminListOrders: [],
  adminGetOrder: [],
  adminListStores: [],
  adminListPaymentAnomalies: [],
  adminGetStats: [],
  orderStatsConsumer: ['mq'],
  orderTxCheckBack: ['mq'], // answers the broker's check-back of half messages
  refundExecutorConsumer: ['mq', 'wechatPay'], // consumes OrderRefunded; asks WeChat Pay to refund
  refundCouponConsumer: ['mq'],
  orderRewardConsumer: ['mq'],
  refundReconciler: ['mq', 'wechatPay'], // queries refunds; publishes OrderStatusChanged (REFUNDED)
  notFound: [],
  orderNoticeConsumer: ['mq', 'redis', 'wechatApi'], // subscribe messages; access token cached in Redis
  getNoticeTemplates: [],
};

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;

type ZipSize = ZipSizes & { name: string };

const zipSize = (name: string, path: string): ZipSize => ({ name, ...zipSizes(path) });

/** The zips over the budget, largest first, each saying by how much and what it is made of. */
const overBudget = (zips: ZipSize[]): string[] =>
  zips
    .filter((z) => z.bytes > ZIP_BUDGET_BYTES)
    .sort((a, b) => b.bytes - a.bytes)
    .map((z) => `${z.name}: ${kb(z.bytes)}, ${kb(z.bytes - ZIP_BUDGET_BYTES)} (${((z.bytes / ZIP_BUDGET_BYTES - 1) * 100).toFixed(0)}%) over; code ${kb(z.code)}, source map ${kb(z.sourceMap)}`);

/** What the function may carry: its declared clients, and DynamoDB and SSM as far as its role allows them. */
function allowedClients(fn: PackagedFunction): Set<Client> {
  const allowed = new Set<Client>(USES[fn.name] ?? []);
  if (fn.iamActions.some((action) => action.startsWith('dynamodb:'))) allowed.add('dynamodb');
  if (fn.iamActions.includes('ssm:GetParametersByPath')) allowed.add('secrets');
  return allowed;
}

/** `payOrder bundles @aliyunmq/mq-http-sdk, which it never uses` for each client a bundle carries but may not. */
const unusedClients = (name: string, inputs: Record<string, number>, allowed: Set<Client>): string[] =>
  clientsIn(Object.keys(inputs))
    .filter((client) => !allowed.has(client))
    .map((client) => `${name} bundles ${CLIENTS[client].label}, which it never uses`);

/** The heavy fixture, built with the functions' esbuild options (plugins included) and zipped as serverless-esbuild zips. */
async function packageHeavyFixture(packaged: Packaged, dir: string): Promise<{ zip: string; inputs: Record<string, number> }> {
  const result = await build({
    ...esbuildOptions(packaged.esbuild, packaged.serviceDir, true),
    entryPoints: [join(PROJECT_ROOT, 'test', 'fixtures', 'budgets', 'heavy-handler.ts')],
    // Our source-map plugin reads the outputs by the metafile's paths, which are relative to the working directory.
    absWorkingDir: process.cwd(),
    outdir: dir,
    metafile: true,
    logLevel: 'silent',
  });
  const zipPath = join(dir, 'heavyFixture.zip');
  await zip(zipPath, [
    { rootPath: join(dir, 'heavy-handler.js'), localPath: 'test/fixtures/budgets/heavy-handler.js' },
    { rootPath: join(dir, 'heavy-handler.js.map'), localPath: 'test/fixtures/budgets/heavy-handler.js.map' },
  ]);
  return { zip: zipPath, inputs: entryInputs(result.metafile) };
}

describe('bundle budgets', () => {
  let packaged: Packaged;
  let analyses: Map<string, BundleAnalysis>;
  let fixtureDir: string;
  let heavy: { zip: string; inputs: Record<string, number> };

  beforeAll(async () => {
    packaged = await packageProd();
    analyses = new Map(await Promise.all(packaged.functions.map(async (fn) => [fn.name, await analyseFunction(packaged, fn)] as const)));
    fixtureDir = mkdtempSync(join(tmpdir(), 'heavy-fixture-'));
    heavy = await packageHeavyFixture(packaged, fixtureDir);
  }, 300_000);

  afterAll(() => {
    packaged?.remove();
    if (fixtureDir) rmSync(fixtureDir, { recursive: true, force: true });
  });

  it('keeps every zip, source map included, at or under 300 KB', () => {
    expect(packaged.functions.length).toBeGreaterThan(20);
    expect(overBudget(packaged.functions.map((fn) => zipSize(fn.name, fn.zip)))).toEqual([]);
  });

  it('finds a deliberately heavy handler over the budget', () => {
    const [verdict] = overBudget([zipSize('heavyFixture', heavy.zip)]);
    expect(verdict).toMatch(/^heavyFixture: [\d.]+ KB, [\d.]+ KB \(\d+%\) over; code [\d.]+ KB, source map [\d.]+ KB$/);
  });

  it('inspects the very code each zip holds (the rebuild with a metafile is byte for byte the packaged bundle)', () => {
    const differing = packaged.functions.filter((fn) => !readZip(fn.zip).find((e) => e.name === fn.bundle)?.content().equals(analyses.get(fn.name)?.js as Buffer));
    expect(differing.map((fn) => fn.name)).toEqual([]);
  });

  it('declares the clients of every function', () => {
    expect(packaged.functions.map((fn) => fn.name).filter((name) => !(name in USES))).toEqual([]);
  });

  it('bundles no client a function never uses', () => {
    const unused = packaged.functions.flatMap((fn) => unusedClients(fn.name, (analyses.get(fn.name) as BundleAnalysis).inputs, allowedClients(fn)));
    expect(unused).toEqual([]);
  });

  it('recognises every client in a bundle that carries it, and refuses those a function does not declare', () => {
    expect(clientsIn(Object.keys(heavy.inputs))).toEqual(CLIENT_KEYS);
    expect(unusedClients('heavyFixture', heavy.inputs, new Set(['dynamodb']))).toEqual(
      CLIENT_KEYS.filter((client) => client !== 'dynamodb').map((client) => `heavyFixture bundles ${CLIENTS[client].label}, which it never uses`),
    );
  });
});
