import type { Session } from '../domain/identity/session';
import type { OutboxEvent } from '../ports/outbox';
import type { SessionStore, StoredSession, User, UserRepository } from '../ports/users';
import type { Clock } from '../ports/clock';

/** Users in memory; a first login's session goes to `sessions`, as the real repository writes both in one transaction. */
export function inMemoryUsers(sessions: ReturnType<typeof inMemorySessions> = inMemorySessions()) {
  const users = new Map<string, User>();
  const announced: OutboxEvent[] = [];
  const repository: UserRepository = {
    async touch(openid, now) {
      const user = users.get(openid);
      if (!user) return undefined;
      user.lastLoginAt = now.toISOString();
      return { ...user };
    },
    async register(user, session, announce) {
      const existing = users.get(user.openid);
      if (existing) return { created: false, existing: { ...existing } };
      users.set(user.openid, { ...user });
      await sessions.store.create(session.tokenHash, session.session);
      announced.push(announce);
      return { created: true };
    },
  };
  return { repository, users, announced };
}

export function inMemorySessions() {
  const sessions = new Map<string, StoredSession>();
  const store: SessionStore = {
    async create(tokenHash, session) {
      sessions.set(tokenHash, { ...session });
    },
    async find(tokenHash): Promise<Session | undefined> {
      const found = sessions.get(tokenHash);
      return found && { userId: found.userId, openid: found.openid, expiresAt: found.expiresAt };
    },
  };
  return { store, sessions };
}

/** A clock the test moves by hand. */
export function manualClock(start = '2026-11-28T08:00:00.000Z'): Clock & { advance(ms: number): void } {
  let now = new Date(start).getTime();
  return { now: () => new Date(now), advance: (ms) => (now += ms) };
}
