import { UnauthorizedError } from '../../domain/errors';
import { looksLikeSessionToken, type Session } from '../../domain/identity/session';
import type { Clock } from '../../ports/clock';
import type { IdSource } from '../../ports/ids';
import type { SessionStore } from '../../ports/users';

export type AuthenticateDeps = { sessions: Pick<SessionStore, 'find'>; clock: Clock; ids: Pick<IdSource, 'digest'> };

/**
 * Resolves a bearer token to its session.
 *
 * Primary course:
 *  1. Refuse anything that is not one of our tokens, before any lookup.
 *  2. Find the session by the token's hash.
 *  3. Refuse it when it has expired.
 */
export async function authenticate(deps: AuthenticateDeps, input: { token: string }): Promise<Session> {
  if (!looksLikeSessionToken(input.token)) throw new UnauthorizedError('the session token is malformed');
  const session = await deps.sessions.find(deps.ids.digest(input.token));
  if (!session) throw new UnauthorizedError('the session token is not valid; log in again');
  if (session.expiresAt <= deps.clock.now().toISOString()) throw new UnauthorizedError('the session has expired; log in again');
  return session;
}
