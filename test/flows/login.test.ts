import { randomUUID } from 'node:crypto';
import { cryptoIds } from '../../shared/adapters/system/ids';
import { newLoginCode, queueLoginFaults, startApi } from '../support/api';
import { pollOnce } from '../support/consumers';
import { getItem, outboxEventsFor, queryByPartition, scanWhere } from '../support/dynamo';

// Real handlers through the local gateway, against the WeChat stand-in, the MQ broker, DynamoDB Local and Redis.
let api: Awaited<ReturnType<typeof startApi>>;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const user = () => `login-test-${randomUUID()}`;

describe('POST /auth/login', () => {
  it('logs a first-time user in, and the coupon consumer grants the new-user coupon', async () => {
    const { code, openid } = await newLoginCode(user());

    const { status, body } = await api.call('POST', '/auth/login', { body: { code } });

    expect(status).toBe(200);
    expect(body.user.isNew).toBe(true);
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Object.keys(body).sort()).toEqual(['expiresAt', 'token', 'user']);
    expect(await getItem('users', { openid })).toMatchObject({ userId: body.user.id });
    const session = await getItem('sessions', { tokenHash: cryptoIds.digest(body.token) });
    expect(session).toMatchObject({ userId: body.user.id, openid });
    expect(session?.sessionKey).toEqual(expect.any(String));
    expect(JSON.stringify(body)).not.toContain(session?.sessionKey);

    const { handler } = await import('../../functions/new-user-coupon-consumer/handler');
    await pollOnce(handler, 2);
    const coupons = await api.call('GET', '/me/coupons', { token: body.token });
    expect(coupons.status).toBe(200);
    expect(coupons.body.items).toEqual([
      expect.objectContaining({ id: 'tpl-new-user', templateId: 'tpl-new-user', name: '新人立减券', discountFen: 500, thresholdFen: 2000, status: 'UNUSED' }),
    ]);
  });

  it('recognises a returning user: same id, isNew false, no second UserRegistered', async () => {
    const name = user();
    const first = await api.call('POST', '/auth/login', { body: { code: (await newLoginCode(name)).code } });
    const second = await api.call('POST', '/auth/login', { body: { code: (await newLoginCode(name)).code } });

    expect(second.status).toBe(200);
    expect(second.body.user).toEqual({ id: first.body.user.id, isNew: false });
    expect(await outboxEventsFor((await newLoginCode(name)).openid)).toHaveLength(1);
  });

  it('answers 401 WX_CODE_INVALID for an unknown code and writes nothing', async () => {
    const { code, openid } = await newLoginCode(user());
    const { status, body } = await api.call('POST', '/auth/login', { body: { code: `${code}x` } });

    expect(status).toBe(401);
    expect(body).toEqual({ code: 'WX_CODE_INVALID', message: 'the login code is invalid, expired or already used; call wx.login again' });
    expect(await getItem('users', { openid })).toBeUndefined();
    expect(await outboxEventsFor(openid)).toEqual([]);
  });

  it('answers 401 WX_CODE_INVALID for a reused code and changes nothing', async () => {
    const { code, openid } = await newLoginCode(user());
    const first = await api.call('POST', '/auth/login', { body: { code } });
    const before = await getItem('users', { openid });

    const reused = await api.call('POST', '/auth/login', { body: { code } });

    expect(reused.status).toBe(401);
    expect(reused.body.code).toBe('WX_CODE_INVALID');
    expect(await getItem('users', { openid })).toEqual(before);
    expect(await scanWhere('sessions', (s) => s.userId === first.body.user.id)).toHaveLength(1);
  });

  it('answers 503 WX_UNAVAILABLE when WeChat stays busy, writes nothing, and the same code works afterwards', async () => {
    const { code, openid } = await newLoginCode(user());
    await queueLoginFaults([-1, -1], code);

    const busy = await api.call('POST', '/auth/login', { body: { code } });

    expect(busy.status).toBe(503);
    expect(busy.body.code).toBe('WX_UNAVAILABLE');
    expect(await getItem('users', { openid })).toBeUndefined();
    expect((await api.call('POST', '/auth/login', { body: { code } })).status).toBe(200);
  });

  it('retries once when WeChat is busy only once', async () => {
    const { code } = await newLoginCode(user());
    await queueLoginFaults([-1], code);
    expect((await api.call('POST', '/auth/login', { body: { code } })).status).toBe(200);
  });

  it.each([
    ['no code', {}, 'code'],
    ['a number', { code: 123 }, 'code'],
    ['an empty code', { code: '  ' }, 'code'],
  ])('answers 400 VALIDATION_FAILED naming the field for %s', async (_, body, field) => {
    const { status, body: error } = await api.call('POST', '/auth/login', { body });
    expect(status).toBe(400);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain(field);
  });

  it('answers 400 INVALID_JSON for a body that is not JSON', async () => {
    const { status, body } = await api.call('POST', '/auth/login', { body: '{"code":', headers: { 'content-type': 'application/json' } });
    expect(status).toBe(400);
    expect(body.code).toBe('INVALID_JSON');
  });
});

describe('GET /me/coupons', () => {
  it('answers 401 UNAUTHORIZED without a token, with a bad one, and 400 for an unknown status', async () => {
    expect((await api.call('GET', '/me/coupons')).body.code).toBe('UNAUTHORIZED');
    expect((await api.call('GET', '/me/coupons', { token: 'A'.repeat(43) })).status).toBe(401);

    const login = await api.call('POST', '/auth/login', { body: { code: (await newLoginCode(user())).code } });
    const unknown = await api.call('GET', '/me/coupons?status=LOST', { token: login.body.token });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('status');
    const filtered = await api.call('GET', '/me/coupons?status=USED', { token: login.body.token });
    expect(filtered.body).toEqual({ items: [] });
  });

  it('shows a user only their own coupons', async () => {
    const a = await api.call('POST', '/auth/login', { body: { code: (await newLoginCode(user())).code } });
    const b = await api.call('POST', '/auth/login', { body: { code: (await newLoginCode(user())).code } });
    const { handler } = await import('../../functions/new-user-coupon-consumer/handler');
    await pollOnce(handler, 2);

    const coupons = await api.call('GET', '/me/coupons', { token: a.body.token });
    expect(coupons.body.items).toHaveLength(1);
    expect(await queryByPartition('userCoupons', 'userId', b.body.user.id)).toHaveLength(1);
    expect((await queryByPartition('userCoupons', 'userId', a.body.user.id))[0]?.userId).toBe(a.body.user.id);
  });
});
