import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '../../local/services/free-port';
import { createWxLogin } from '../../shared/adapters/wechat/login';
import { WxCodeInvalidError, WxLoginBlockedError, WxRateLimitedError, WxUnavailableError } from '../../shared/ports/wechat';
import { manualClock } from './support/clocks';
import { startTestStandIn, type TestStandIn } from './support/stand-in';

const clock = manualClock();
let stub: TestStandIn;

const login = (overrides: Partial<Parameters<typeof createWxLogin>[0]> = {}) =>
  createWxLogin({ appid: stub.merchant.appid, appSecret: stub.merchant.appSecret, apiBaseUrl: stub.standIn.url, busyRetryDelayMs: 10, ...overrides });

const loginCalls = () => stub.standIn.stats().requests.jscode2session ?? 0;

beforeAll(async () => {
  stub = await startTestStandIn({ clock });
});
afterAll(() => stub.standIn.close());

describe('code2session against the stand-in', () => {
  it('exchanges a valid code for the openid and a session key', async () => {
    const { code, openid } = await stub.sandbox.loginCode({ unionid: 'union-1' });
    const session = await login().code2Session(code);
    expect(session.openid).toBe(openid);
    expect(session.unionid).toBe('union-1');
    expect(session.sessionKey).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });

  it('gives the same test user the same openid every time', async () => {
    const first = await login().code2Session((await stub.sandbox.loginCode({ user: 'alice' })).code);
    const second = await login().code2Session((await stub.sandbox.loginCode({ user: 'alice' })).code);
    const other = await login().code2Session((await stub.sandbox.loginCode({ user: 'bob' })).code);
    expect(second.openid).toBe(first.openid);
    expect(other.openid).not.toBe(first.openid);
  });

  it('refuses a reused code with WxCodeInvalidError (40163)', async () => {
    const { code } = await stub.sandbox.loginCode();
    await login().code2Session(code);
    await expect(login().code2Session(code)).rejects.toEqual(expect.objectContaining({ name: 'WxCodeInvalidError', errcode: 40163 }));
  });

  it('refuses an unknown code with WxCodeInvalidError (40029)', async () => {
    const error = await login().code2Session('never-issued').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WxCodeInvalidError);
    expect((error as WxCodeInvalidError).errcode).toBe(40029);
  });

  it('refuses a code older than five minutes (40029)', async () => {
    const { code } = await stub.sandbox.loginCode();
    clock.advance(5 * 60 * 1_000 + 1_000);
    await expect(login().code2Session(code)).rejects.toEqual(expect.objectContaining({ name: 'WxCodeInvalidError', errcode: 40029 }));
  });

  it('retries once when WeChat is busy (-1) and then succeeds', async () => {
    const { code, openid } = await stub.sandbox.loginCode();
    await stub.sandbox.injectLoginErrcodes([-1]);
    const before = loginCalls();
    await expect(login().code2Session(code)).resolves.toEqual(expect.objectContaining({ openid }));
    expect(loginCalls() - before).toBe(2);
  });

  it('gives up with WxUnavailableError when WeChat is busy twice, after exactly one retry', async () => {
    const { code } = await stub.sandbox.loginCode();
    await stub.sandbox.injectLoginErrcodes([-1, -1]);
    const before = loginCalls();
    await expect(login().code2Session(code)).rejects.toBeInstanceOf(WxUnavailableError);
    expect(loginCalls() - before).toBe(2);
  });

  it('answers errcodes queued for one code only to calls with that code', async () => {
    const [scoped, other] = [await stub.sandbox.loginCode(), await stub.sandbox.loginCode()];
    await stub.sandbox.injectLoginErrcodes([45011], scoped.code);
    await expect(login().code2Session(other.code)).resolves.toEqual(expect.objectContaining({ openid: other.openid }));
    await expect(login().code2Session(scoped.code)).rejects.toBeInstanceOf(WxRateLimitedError);
    await expect(login().code2Session(scoped.code)).resolves.toEqual(expect.objectContaining({ openid: scoped.openid }));
  });

  it('maps 45011 to WxRateLimitedError and 40226 to WxLoginBlockedError without retrying', async () => {
    const { code } = await stub.sandbox.loginCode();
    await stub.sandbox.injectLoginErrcodes([45011, 40226]);
    const before = loginCalls();
    await expect(login().code2Session(code)).rejects.toBeInstanceOf(WxRateLimitedError);
    await expect(login().code2Session(code)).rejects.toBeInstanceOf(WxLoginBlockedError);
    expect(loginCalls() - before).toBe(2);
  });

  it('treats a wrong AppSecret (40125) as WeChat being unusable, not as a bad code', async () => {
    const { code } = await stub.sandbox.loginCode();
    await expect(login({ appSecret: 'wrong' }).code2Session(code)).rejects.toEqual(expect.objectContaining({ name: 'WxUnavailableError', detail: 'jscode2session errcode 40125' }));
  });

  it('reports an unreachable WeChat as WxUnavailableError', async () => {
    const nobodyListens = `http://127.0.0.1:${await freePort()}`;
    await expect(login({ apiBaseUrl: nobodyListens }).code2Session('any')).rejects.toBeInstanceOf(WxUnavailableError);
  });

  describe('a WeChat that never answers', () => {
    let silent: Server;
    beforeAll(async () => {
      silent = createServer(() => undefined);
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    });
    afterAll(async () => {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    });

    it('times out into WxUnavailableError', async () => {
      const { port } = silent.address() as AddressInfo;
      const started = Date.now();
      const error = await login({ apiBaseUrl: `http://127.0.0.1:${port}`, timeoutMs: 200 }).code2Session('any').catch((e: unknown) => e);
      expect(error).toEqual(expect.objectContaining({ name: 'WxUnavailableError', detail: '/sns/jscode2session: timed out' }));
      expect(Date.now() - started).toBeLessThan(2_000);
    });
  });
});
