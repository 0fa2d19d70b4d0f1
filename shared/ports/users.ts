import type { Session } from '../domain/identity/session';
import type { OutboxEvent } from './outbox';

export type User = { userId: string; openid: string; createdAt: string; lastLoginAt: string };

/** Users keyed by their WeChat openid. */
export interface UserRepository {
  /** Records a login of an existing user; undefined when no user has this openid. */
  touch(openid: string, now: Date): Promise<User | undefined>;
  /**
   * A first login in one transaction: the user, its first session and the event announcing it. When a user with this
   * openid exists (a returning login, or a concurrent first login that won) nothing is written and that user comes back.
   */
  register(user: User, session: NewSession, announce: OutboxEvent): Promise<{ created: true } | { created: false; existing: User }>;
}

export type StoredSession = Session & { sessionKey: string };
export type NewSession = { tokenHash: string; session: StoredSession };

/** Sessions by token hash. DynamoDB is the truth; Redis may cache lookups. */
export interface SessionStore {
  create(tokenHash: string, session: StoredSession): Promise<void>;
  /** The session, without the WeChat session key; undefined when unknown. Expiry is the caller's check. */
  find(tokenHash: string): Promise<Session | undefined>;
}
