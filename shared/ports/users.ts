import type { Session } from '../domain/identity/session';
import type { OutboxEvent } from './outbox';

export type User = { userId: string; openid: string; createdAt: string; lastLoginAt: string };

/** Users keyed by their WeChat openid. */
export interface UserRepository {
  /** Records a login of an existing user; undefined when no user has this openid. */
  touch(openid: string, now: Date): Promise<User | undefined>;
  /**
   * Creates the user together with the event announcing it (one transaction). False when a user with this openid
   * already exists (a concurrent first login won): nothing is written then.
   */
  register(user: User, announce: OutboxEvent): Promise<boolean>;
}

export type StoredSession = Session & { sessionKey: string };

/** Sessions by token hash. DynamoDB is the truth; Redis may cache lookups. */
export interface SessionStore {
  create(tokenHash: string, session: StoredSession): Promise<void>;
  /** The session, without the WeChat session key; undefined when unknown. Expiry is the caller's check. */
  find(tokenHash: string): Promise<Session | undefined>;
}
