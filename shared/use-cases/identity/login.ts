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

/** Finds the user by openid, creating it (with its UserRegistered event) on a first login. */
async function findOrRegister(deps: LoginDeps, openid: string, now: Date): Promise<{ user: User; announced?: OutboxEvent }> {
  const existing = await deps.users.touch(openid, now);
  if (existing) return { user: existing };
  const user: User = { userId: newUserId(deps.ids.randomId()), openid, createdAt: now.toISOString(), lastLoginAt: now.toISOString() };
  const announced = deps.announce(user);
  if (await deps.users.register(user, announced)) return { user, announced };
  // A concurrent first login of the same user won the conditional write: this is a returning login after all.
  const winner = await deps.users.touch(openid, now);
  if (!winner) throw new Error(`user ${openid.slice(0, 6)}... vanished during login`);
  return { user: winner };
}

/**
 * Logs a shopper in with the code from `wx.login`.
 *
 * Primary course:
 *  1. Exchange the code at WeChat for the openid and session key (code2session).
 *  2. Record the login; on a first login create the user and its UserRegistered event in one transaction.
 *  3. Issue our own session token; keep only its hash and the WeChat session key, server-side.
 *  4. On a first login publish UserRegistered; if the MQ is down the outbox relay publishes it later.
 *
 * Fails with the WeChat errors of code2session (invalid code, busy), before anything is written.
 */
export async function login(deps: LoginDeps, input: { code: string }): Promise<LoginResult> {
  const wx = await deps.wx.code2Session(input.code);
  const now = deps.clock.now();
  const { user, announced } = await findOrRegister(deps, wx.openid, now);
  const token = deps.ids.randomToken();
  const expiresAt = new Date(now.getTime() + deps.sessionTtlSeconds * 1000).toISOString();
  await Promise.all([
    deps.sessions.create(deps.ids.digest(token), { userId: user.userId, openid: user.openid, expiresAt, sessionKey: wx.sessionKey }),
    announced ? deps.dispatch(announced) : undefined,
  ]);
  logger.info(announced ? 'first login: user registered' : 'login', { userId: user.userId });
  return { token, expiresAt, user: { id: user.userId, isNew: Boolean(announced) } };
}
