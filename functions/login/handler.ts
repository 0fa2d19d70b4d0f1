// POST /auth/login (API Gateway HTTP API, payload v2): log in with the code from wx.login().
import { httpHandler } from '../../shared/lambda/http-handler';
import { dispatchOutbox } from '../../shared/composition/outbox';
import { configuredWxLogin } from '../../shared/adapters/wechat/login';
import { wxAppConfig } from '../../shared/adapters/wechat/config';
import { dynamoUserRepository } from '../../shared/adapters/dynamodb/user-repository';
import { newOutboxEvent } from '../../shared/adapters/dynamodb/outbox';
import { dynamoSessionStore } from '../../shared/adapters/dynamodb/session-store';
import { sessionConfig } from '../../shared/config/sessions';
import { systemClock } from '../../shared/adapters/system/clock';
import { cryptoIds } from '../../shared/adapters/system/ids';
import { login } from '../../shared/use-cases/identity/login';
import { loginBody } from './schema';

// Check the WeChat variables at cold start; the app secret itself is read from SSM at the first login.
wxAppConfig();
const deps = {
  wx: configuredWxLogin(),
  users: dynamoUserRepository,
  // Login only writes sessions (DynamoDB, the truth); lookups go through Redis elsewhere, so login needs no Redis.
  sessions: dynamoSessionStore,
  announce: ({ userId, openid, createdAt }: { userId: string; openid: string; createdAt: string }) =>
    newOutboxEvent('UserRegistered', { userId, openid, registeredAt: createdAt }, systemClock.now()),
  dispatch: dispatchOutbox,
  clock: systemClock,
  ids: cryptoIds,
  sessionTtlSeconds: sessionConfig().SESSION_TTL_SECONDS,
};

export const handler = httpHandler({ body: loginBody }, async ({ body }) => ({ statusCode: 200, body: await login(deps, body) }));
