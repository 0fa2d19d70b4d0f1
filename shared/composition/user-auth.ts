import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { UnauthorizedError } from '../domain/errors';
import type { Session } from '../domain/identity/session';
import { sessionStore } from './sessions';
import { systemClock } from '../adapters/system/clock';
import { cryptoIds } from '../adapters/system/ids';
import { authenticate } from '../use-cases/identity/authenticate';
import { logger } from '../logging/logger';

const deps = { sessions: sessionStore, clock: systemClock, ids: cryptoIds };

/** User routes: `Authorization: Bearer <token>` from POST /auth/login. Adds the userId to the request's log lines. */
export async function userAuth(event: APIGatewayProxyEventV2): Promise<Session> {
  const header = event.headers?.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new UnauthorizedError('the Authorization header must be "Bearer <token>"');
  const session = await authenticate(deps, { token: match[1] as string });
  logger.appendKeys({ userId: session.userId });
  return session;
}
