import { createPublicKey } from 'node:crypto';
import { manualClock } from './support/clocks';
import { startTestStandIn, type TestStandIn } from './support/stand-in';

const clock = manualClock();
let stub: TestStandIn;

const plainToken = async (): Promise<any> => {
  const query = new URLSearchParams({ grant_type: 'client_credential', appid: stub.merchant.appid, secret: stub.merchant.appSecret });
  return (await fetch(`${stub.standIn.url}/cgi-bin/token?${query}`)).json();
};
const stableToken = async (forceRefresh?: boolean, on = stub): Promise<any> =>
  (
    await fetch(`${on.standIn.url}/cgi-bin/stable_token`, {
      method: 'POST',
      body: JSON.stringify({ grant_type: 'client_credential', appid: on.merchant.appid, secret: on.merchant.appSecret, ...(forceRefresh === undefined ? {} : { force_refresh: forceRefresh }) }),
    })
  ).json();

/** The errcode a business API gives for this token; an empty message gets 47003, which means the token passed. */
async function tokenErrcode(token: string, on = stub): Promise<number> {
  const openid = await on.sandbox.newOpenid();
  const reply = await fetch(`${on.standIn.url}/cgi-bin/message/subscribe/send?access_token=${token}`, {
    method: 'POST',
    body: JSON.stringify({ touser: openid, template_id: on.standIn.templates[0]!.templateId, data: {} }),
  }).then((response) => response.json() as Promise<any>);
  return reply.errcode === 47003 ? 0 : reply.errcode;
}

beforeAll(async () => {
  stub = await startTestStandIn({ clock, accessTokenLifetimeSeconds: 7200, accessTokenGraceSeconds: 300 });
});
afterAll(() => stub.standIn.close());

describe('the stand-in access tokens', () => {
  it('cgi-bin/token issues a new token per call; the previous one works only for the grace period', async () => {
    const first = await plainToken();
    const second = await plainToken();
    expect(first).toEqual({ access_token: expect.any(String), expires_in: 7200 });
    expect(second.access_token).not.toBe(first.access_token);
    expect(await tokenErrcode(first.access_token)).toBe(0);
    clock.advance(301_000);
    expect(await tokenErrcode(first.access_token)).toBe(42001);
    expect(await tokenErrcode(second.access_token)).toBe(0);
  });

  it('stable_token returns the current token until near expiry, and force_refresh revokes it', async () => {
    const first = await stableToken();
    clock.advance(60_000);
    const again = await stableToken(false);
    expect(again.access_token).toBe(first.access_token);
    expect(again.expires_in).toBe(first.expires_in - 60);
    clock.advance((first.expires_in - 60 - 299) * 1_000);
    const renewed = await stableToken();
    expect(renewed.access_token).not.toBe(first.access_token);
    expect(await tokenErrcode(first.access_token)).toBe(0);
    const forced = await stableToken(true);
    expect(forced.access_token).not.toBe(renewed.access_token);
    expect(await tokenErrcode(renewed.access_token)).toBe(40001);
  });

  it('stable_token force_refresh refreshes at most once per 30 s, and 20 calls a China day (45009 after)', async () => {
    // 10:00 in China, so that the day does not turn during the test.
    const dayClock = manualClock(new Date('2026-03-02T02:00:00Z'));
    const own = await startTestStandIn({ clock: dayClock });
    try {
      const forced = await stableToken(true, own);
      dayClock.advance(10_000);
      // Too soon: nothing is refreshed and nothing revoked.
      expect((await stableToken(true, own)).access_token).toBe(forced.access_token);
      expect(await tokenErrcode(forced.access_token, own)).toBe(0);
      dayClock.advance(20_000);
      expect((await stableToken(true, own)).access_token).not.toBe(forced.access_token);
      expect(await tokenErrcode(forced.access_token, own)).toBe(40001);
      for (let call = 4; call <= 20; call += 1) expect((await stableToken(true, own)).access_token).toEqual(expect.any(String));
      expect(await stableToken(true, own)).toEqual({ errcode: 45009, errmsg: 'reach max api daily quota limit' });
      expect((await stableToken(false, own)).access_token).toEqual(expect.any(String));
      dayClock.advance(14 * 3_600_000);
      expect((await stableToken(true, own)).access_token).toEqual(expect.any(String));
    } finally {
      await own.standIn.close();
    }
  });

  it('refuses unknown tokens (40001), wrong credentials (40125) and counts every fetch', async () => {
    const before = stub.standIn.stats().accessTokenFetches;
    expect(await tokenErrcode('forged-token')).toBe(40001);
    const wrongSecret = await fetch(`${stub.standIn.url}/cgi-bin/stable_token`, { method: 'POST', body: JSON.stringify({ grant_type: 'client_credential', appid: stub.merchant.appid, secret: 'nope' }) }).then((r) => r.json() as Promise<any>);
    expect(wrongSecret.errcode).toBe(40125);
    expect((await stub.sandbox.stats()).accessTokenFetches).toBe(before + 1);
  });
});

describe('the stand-in control routes', () => {
  it('serves the local identities and keys, but never the merchant private key', async () => {
    const config = await stub.sandbox.config();
    expect(config).toEqual(expect.objectContaining({ appid: stub.merchant.appid, mchid: stub.merchant.mchid, apiV3Key: stub.merchant.apiV3Key, merchantPublicKeyPem: stub.merchant.merchantPublicKeyPem }));
    expect(config.wechatpayPublicKeyId).toMatch(/^PUB_KEY_ID_\d{32}$/);
    expect(createPublicKey(config.wechatpayPublicKeyPem).asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(JSON.stringify(config)).not.toContain('PRIVATE KEY');
  });

  it('lists the six order-notice templates with their keys', async () => {
    const { items } = await stub.sandbox.templates();
    expect(items.map((template: any) => template.type)).toEqual(['WAIT_PAY', 'PAID', 'CONFIRMED', 'FINISHED', 'CANCELLED', 'REFUNDED']);
    expect(items[0]).toEqual(expect.objectContaining({ templateId: expect.any(String), title: '订单待支付提醒', keys: expect.objectContaining({ character_string1: 'character_string' }) }));
  });

  it('accepts a given openid for a simulated wx.login', async () => {
    expect(await stub.sandbox.loginCode({ openid: 'oGivenOpenid0000000000000000' })).toEqual({ status: 200, code: expect.any(String), openid: 'oGivenOpenid0000000000000000' });
  });

  it('refuses unknown notification faults', async () => {
    expect(await stub.sandbox.armNotificationFaults(['NOT_A_FAULT'])).toEqual(expect.objectContaining({ status: 400, code: 'VALIDATION_FAILED' }));
  });
});
