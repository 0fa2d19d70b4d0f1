import type { Session } from '../../domain/identity/session';
import type { SessionStore } from '../../ports/users';
import { inProcessSessionCache } from './session-cache';

// The in-process layer in front of the Redis-cached session store: a pure wrapper, so an in-memory store stands in
// for Redis and DynamoDB (their own behaviour is covered by the flows' tests).
function countingStore(sessions: Map<string, Session>) {
  const finds: string[] = [];
  const store: SessionStore = {
    create: async (tokenHash, session) => void sessions.set(tokenHash, { userId: session.userId, openid: session.openid, expiresAt: session.expiresAt }),
    find: async (tokenHash) => (finds.push(tokenHash), sessions.get(tokenHash)),
  };
  return { store, finds };
}

const session = (userId: string): Session => ({ userId, openid: `openid-${userId}`, expiresAt: '2099-01-01T00:00:00.000Z' });

describe('inProcessSessionCache', () => {
  it('answers a session it looked up from memory, without asking the store again', async () => {
    const { store, finds } = countingStore(new Map([['h1', session('u1')]]));
    const cache = inProcessSessionCache(store);
    expect(await cache.find('h1')).toEqual(session('u1'));
    expect(await cache.find('h1')).toEqual(session('u1'));
    expect(finds).toEqual(['h1']);
  });

  it('never keeps a miss: a token unknown at first is found once its login is written', async () => {
    const sessions = new Map<string, Session>();
    const { store, finds } = countingStore(sessions);
    const cache = inProcessSessionCache(store);
    expect(await cache.find('h2')).toBeUndefined();
    sessions.set('h2', session('u2'));
    expect(await cache.find('h2')).toEqual(session('u2'));
    expect(finds).toEqual(['h2', 'h2']);
    expect(cache.cached()).toBe(1);
  });

  it('asks the store again once an entry is older than its time to live', async () => {
    const { store, finds } = countingStore(new Map([['h3', session('u3')]]));
    const cache = inProcessSessionCache(store, { ttlMs: 20 });
    await cache.find('h3');
    await new Promise((resolve) => setTimeout(resolve, 40));
    await cache.find('h3');
    expect(finds).toEqual(['h3', 'h3']);
  });

  it('keeps at most `max` sessions, dropping the least recently used', async () => {
    const { store, finds } = countingStore(new Map(['a', 'b', 'c'].map((h) => [h, session(h)])));
    const cache = inProcessSessionCache(store, { max: 2 });
    for (const hash of ['a', 'b', 'a', 'c', 'a', 'b']) await cache.find(hash);
    expect(cache.cached()).toBe(2);
    // a stays (used last but one each time); b is dropped for c, then read again.
    expect(finds).toEqual(['a', 'b', 'c', 'b']);
  });
});
