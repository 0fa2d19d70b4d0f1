import { newUserId } from '../../domain/identity/session';
import type { Clock } from '../../ports/clock';
import type { IdSource } from '../../ports/ids';
import type { OutboxEvent } from '../../ports/outbox';
import type { SessionStore, User, UserRepository } from '../../ports/users';
import type { WxLogin } from '../../ports/wechat';
import { logger } from '../../logging/logger';

export type LoginDeps = {
  wx: WxLogin;
  users: UserRepository;
  sessions: Pick<SessionStore, 'create'>;
  /** Builds the UserRegistered outbox event for a new user. */
  announce: (user: User) => OutboxEvent;
  /** Publishes an outbox event now; never throws (the relay retries). */
  dispatch: (event: OutboxEvent) => Promise<boolean>;
  clock: Clock;
  ids: IdSource;
  sessionTtlSeconds: number;
};

export type LoginResult = { token: string; expiresAt: string; user: { id: string; isNew: boolean } };

/**
 * Logs a shopper in with the code from `wx.login`.
 *
 * Primary course:
 *  1. Exchange the code at WeChat for the openid and session key (code2session).
 *  2. Try the first login: one transaction writes the user, its session and its UserRegistered event. For a returning
 *     user it writes nothing and hands the stored user back; then the login is recorded and the session written,
 *     together. Either way three round trips: code2session, the transaction, then the publish or the two writes.
 *  3. Our own session token is 256 random bits; only its hash and the WeChat session key are kept, server-side.
 *  4. On a first login publish UserRegistered; if the MQ is down the outbox relay publishes it later.
 *
 * Fails with the WeChat errors of code2session (invalid code, busy), before anything is written.
 */
export async function login(deps: LoginDeps, input: { code: string }): Promise<LoginResult> {
  const wx = await deps.wx.code2Session(input.code);
  const now = deps.clock.now();
  const token = deps.ids.randomToken();
  const tokenHash = deps.ids.digest(token);
  const expiresAt = new Date(now.getTime() + deps.sessionTtlSeconds * 1000).toISOString();
  const candidate: User = { userId: newUserId(deps.ids.randomId()), openid: wx.openid, createdAt: now.toISOString(), lastLoginAt: now.toISOString() };
  const session = { userId: candidate.userId, openid: wx.openid, expiresAt, sessionKey: wx.sessionKey };
  const announced = deps.announce(candidate);

  const registered = await deps.users.register(candidate, { tokenHash, session }, announced);
  if (registered.created) {
    await deps.dispatch(announced);
    logger.info('first login: user registered', { userId: candidate.userId });
    return { token, expiresAt, user: { id: candidate.userId, isNew: true } };
  }
  const { userId } = registered.existing;
  await Promise.all([deps.users.touch(wx.openid, now), deps.sessions.create(tokenHash, { ...session, userId })]);
  logger.info('login', { userId });
  return { token, expiresAt, user: { id: userId, isNew: false } };
}
