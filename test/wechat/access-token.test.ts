import Redis from 'ioredis';
import { startRedis } from '../../local/services/redis';
import { createSharedAccessToken, type SharedAccessToken, type SharedAccessTokenDeps } from '../../shared/adapters/wechat/access-token';
import { createSubscribeMessageSender } from '../../shared/adapters/wechat/subscribe-sender';
import { manualClock } from './support/clocks';
import { startTestStandIn, type TestStandIn } from './support/stand-in';

/** Like the shared client: fails fast when Redis is down. */
const redisClient = (url: string) => new Redis(url, { lazyConnect: true, connectTimeout: 500, commandTimeout: 500, maxRetriesPerRequest: 1, retryStrategy: () => 200 });

const clock = manualClock();
const redis = redisClient(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
let stub: TestStandIn;
let fetchesBefore = 0;

/** One per simulated Lambda container: each has its own memory, all share Redis. */
const container = (overrides: Partial<SharedAccessTokenDeps> = {}): SharedAccessToken =>
  createSharedAccessToken({ redis, appid: stub.merchant.appid, appSecret: stub.merchant.appSecret, apiBaseUrl: stub.standIn.url, clock, pollIntervalMs: 10, ...overrides });

/** Token fetches the stand-in counted during this test. */
const fetches = () => stub.standIn.stats().accessTokenFetches - fetchesBefore;
const tokenKey = () => `wx:access-token:${stub.merchant.appid}`;

beforeAll(async () => {
  stub = await startTestStandIn({ clock });
});
beforeEach(async () => {
  // Every test starts as a fresh deployment: nothing cached, no refresher holding the lock.
  await redis.del(tokenKey(), `${tokenKey()}:refresh-lock`);
  await stub.sandbox.invalidateTokens();
  fetchesBefore = stub.standIn.stats().accessTokenFetches;
});
afterAll(async () => {
  await stub.standIn.close();
  await redis.quit();
});

describe('the shared access token', () => {
  it('costs one fetch for 20 concurrent callers in 20 containers', async () => {
    const tokens = await Promise.all(Array.from({ length: 20 }, () => container().current()));
    expect(new Set(tokens).size).toBe(1);
    expect(fetches()).toBe(1);
  });

  it('is read from Redis by a container that starts later', async () => {
    const first = await container().current();
    expect(await container().current()).toBe(first);
    expect(fetches()).toBe(1);
  });

  it('is refreshed once, ahead of its expiry, while the others keep using the still-valid token', async () => {
    const first = await container().current();
    clock.advance((7200 - 200) * 1_000);
    const during = await Promise.all(Array.from({ length: 10 }, () => container().current()));
    const after = await container().current();
    expect(after).not.toBe(first);
    expect(new Set([...during, after])).toEqual(new Set([first, after]));
    expect(fetches()).toBe(2);
  });

  it('waits out a refresher that crashed while holding the lock, then fetches', async () => {
    await redis.set(`${tokenKey()}:refresh-lock`, 'crashed-container', 'PX', 300);
    const started = Date.now();
    const token = await container().current();
    expect(token).toEqual(expect.any(String));
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(fetches()).toBe(1);
  });

  it('replaces a token WeChat rejected once, however many containers report it', async () => {
    const stale = await container().current();
    await stub.sandbox.invalidateTokens();
    const replacements = await Promise.all(Array.from({ length: 10 }, () => container().replaceRejected(stale)));
    expect(new Set(replacements).size).toBe(1);
    expect(replacements[0]).not.toBe(stale);
    expect(fetches()).toBe(2);
  });

  it('does not refresh for a rejected token that was already replaced', async () => {
    const stale = await container().current();
    await stub.sandbox.invalidateTokens();
    const replacement = await container().replaceRejected(stale);
    expect(await container().replaceRejected(stale)).toBe(replacement);
    expect(fetches()).toBe(2);
  });

  it('still yields a working token when Redis is down', async () => {
    const ownRedis = await startRedis();
    const downRedis = redisClient(ownRedis.url);
    downRedis.on('error', () => undefined);
    await downRedis.ping();
    await ownRedis.stop();

    const tokens = container({ redis: downRedis });
    const [token] = await Promise.all([tokens.current(), tokens.current()]);
    const openid = await stub.sandbox.newOpenid();
    await stub.sandbox.subscribe(openid, stub.standIn.templates[1]!.templateId, 1);
    const sender = createSubscribeMessageSender({ accessToken: tokens, apiBaseUrl: stub.standIn.url });
    const sent = await sender.send({ touser: openid, templateId: stub.standIn.templates[1]!.templateId, data: { character_string1: { value: 'T1' }, amount2: { value: '¥1.00' }, time3: { value: '12:00' }, thing4: { value: '门店' } } });

    expect(token).toEqual(expect.any(String));
    expect(sent.status).toBe('SENT');
    expect(fetches()).toBe(1);
    downRedis.disconnect();
  });
});
