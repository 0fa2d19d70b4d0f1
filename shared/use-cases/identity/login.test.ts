import { cryptoIds } from '../../adapters/system/ids';
import { WxCodeInvalidError, type WxLogin } from '../../ports/wechat';
import { inMemorySessions, inMemoryUsers, manualClock } from '../../testing/in-memory-users';
import { login, type LoginDeps } from './login';

function setup(options: { dispatchOk?: boolean } = {}) {
  const sessions = inMemorySessions();
  const users = inMemoryUsers(sessions);
  const clock = manualClock();
  const dispatched: string[] = [];
  const wx: WxLogin = {
    async code2Session(code) {
      if (code.startsWith('bad')) throw new WxCodeInvalidError(40029);
      return { openid: `openid-${code.split('-')[0]}`, sessionKey: `secret-session-key-${code}` };
    },
  };
  const deps: LoginDeps = {
    wx,
    users: users.repository,
    sessions: sessions.store,
    announce: (user) => ({ eventId: `e-${user.userId}`, name: 'UserRegistered', body: { userId: user.userId, openid: user.openid, registeredAt: user.createdAt }, createdAt: user.createdAt }),
    dispatch: async (event) => (dispatched.push(event.eventId), options.dispatchOk ?? true),
    clock,
    ids: cryptoIds,
    sessionTtlSeconds: 3600,
  };
  return { deps, users, sessions, clock, dispatched };
}

describe('login', () => {
  it('registers a first-time user, announces UserRegistered once, and issues a session', async () => {
    const { deps, users, sessions, dispatched } = setup();

    const result = await login(deps, { code: 'alice-1' });

    expect(result.user.isNew).toBe(true);
    expect(result.expiresAt).toBe('2026-11-28T09:00:00.000Z');
    expect(users.announced).toHaveLength(1);
    expect(users.announced[0]?.body).toMatchObject({ userId: result.user.id, openid: 'openid-alice' });
    expect(dispatched).toEqual([users.announced[0]?.eventId]);
    const stored = sessions.sessions.get(cryptoIds.digest(result.token));
    expect(stored).toMatchObject({ userId: result.user.id, openid: 'openid-alice', sessionKey: 'secret-session-key-alice-1' });
  });

  it('knows a returning user: same id, not new, no event', async () => {
    const { deps, users, dispatched } = setup();
    const first = await login(deps, { code: 'bob-1' });
    const second = await login(deps, { code: 'bob-2' });

    expect(second.user).toEqual({ id: first.user.id, isNew: false });
    expect(second.token).not.toBe(first.token);
    expect(users.announced).toHaveLength(1);
    expect(dispatched).toHaveLength(1);
  });

  it('still logs the user in when the event could not be published now (the outbox keeps it)', async () => {
    const { deps, users } = setup({ dispatchOk: false });
    const result = await login(deps, { code: 'carol-1' });
    expect(result.user.isNew).toBe(true);
    expect(users.announced).toHaveLength(1);
  });

  it('never returns or stores the token itself, only its hash', async () => {
    const { deps, sessions } = setup();
    const result = await login(deps, { code: 'dave-1' });
    expect(JSON.stringify(result)).not.toContain('secret-session-key');
    expect(sessions.sessions.has(result.token)).toBe(false);
  });

  it('writes nothing when WeChat refuses the code', async () => {
    const { deps, users, sessions } = setup();
    await expect(login(deps, { code: 'bad-code' })).rejects.toMatchObject({ code: 'WX_CODE_INVALID' });
    expect(users.users.size).toBe(0);
    expect(sessions.sessions.size).toBe(0);
  });

  it('treats a lost race of two first logins as a returning login', async () => {
    const { deps, users } = setup();
    const [a, b] = await Promise.all([login(deps, { code: 'erin-1' }), login(deps, { code: 'erin-2' })]);
    expect(a.user.id).toBe(b.user.id);
    expect([a.user.isNew, b.user.isNew].sort()).toEqual([false, true]);
    expect(users.announced).toHaveLength(1);
  });
});
