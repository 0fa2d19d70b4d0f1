import { cryptoIds } from '../../adapters/system/ids';
import { inMemorySessions, manualClock } from '../../testing/in-memory-users';
import { authenticate } from './authenticate';

describe('authenticate', () => {
  async function setup() {
    const { store } = inMemorySessions();
    const clock = manualClock();
    const token = cryptoIds.randomToken();
    await store.create(cryptoIds.digest(token), { userId: 'u1', openid: 'o1', expiresAt: '2026-11-28T09:00:00.000Z', sessionKey: 'k' });
    return { deps: { sessions: store, clock, ids: cryptoIds }, token, clock };
  }

  it('resolves a valid token to its session', async () => {
    const { deps, token } = await setup();
    expect(await authenticate(deps, { token })).toEqual({ userId: 'u1', openid: 'o1', expiresAt: '2026-11-28T09:00:00.000Z' });
  });

  it('refuses an expired session', async () => {
    const { deps, token, clock } = await setup();
    clock.advance(3_600_000);
    await expect(authenticate(deps, { token })).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: 'the session has expired; log in again' });
  });

  it('refuses an unknown token and a malformed one', async () => {
    const { deps } = await setup();
    await expect(authenticate(deps, { token: cryptoIds.randomToken() })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(authenticate(deps, { token: 'not-a-token' })).rejects.toMatchObject({ message: 'the session token is malformed' });
  });
});
