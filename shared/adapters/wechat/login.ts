import { logger } from '../../logging/logger';
import { WxCodeInvalidError, WxLoginBlockedError, WxRateLimitedError, WxUnavailableError, type WxLogin } from '../../ports/wechat';
import { callWxApi, wxApiUrl, type WxReply } from './wx-api';
import { loadWxAppSettings } from './config';

export type WxLoginDeps = {
  appid: string;
  appSecret: string;
  /** `https://api.weixin.qq.com`, or the stand-in. */
  apiBaseUrl: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Pause before the one retry WeChat's docs allow after `-1 system busy`. */
  busyRetryDelayMs?: number;
};

const BUSY = -1;

function sessionFrom(reply: WxReply) {
  const { openid, unionid, session_key: sessionKey } = reply;
  if (typeof openid !== 'string' || typeof sessionKey !== 'string') throw new WxUnavailableError('jscode2session: answer without openid');
  return { openid, sessionKey, ...(typeof unionid === 'string' ? { unionid } : {}) };
}

function loginError(errcode: number, errmsg: string | undefined): Error {
  switch (errcode) {
    case 40029:
    case 40163:
      return new WxCodeInvalidError(errcode);
    case 45011:
      return new WxRateLimitedError();
    case 40226:
      return new WxLoginBlockedError();
    case BUSY:
      return new WxUnavailableError('jscode2session: WeChat still busy after one retry');
    default:
      // 40013 / 40125 / 41008 and anything new: our configuration or WeChat is at fault, not the user.
      logger.error('jscode2session failed', { errcode, errmsg });
      return new WxUnavailableError(`jscode2session errcode ${errcode}`);
  }
}

/**
 * Mini-program login through `GET /sns/jscode2session`. A `-1 system busy` is retried once after a short pause (the
 * code is still unused); every other errcode maps to an error of `shared/ports/wechat.ts`. The secret, the code and
 * the session key never reach a log: the request URL carries the first two, so it is never logged either.
 */
export function createWxLogin(deps: WxLoginDeps): WxLogin {
  const fetchImpl = deps.fetch ?? fetch;
  const timeoutMs = deps.timeoutMs ?? 3_000;
  const busyRetryDelayMs = deps.busyRetryDelayMs ?? 200;

  const exchange = (code: string) =>
    callWxApi({
      fetch: fetchImpl,
      timeoutMs,
      url: wxApiUrl(deps.apiBaseUrl, '/sns/jscode2session', {
        appid: deps.appid,
        secret: deps.appSecret,
        js_code: code,
        grant_type: 'authorization_code',
      }),
    });

  return {
    async code2Session(code) {
      let reply = await exchange(code);
      if (reply.errcode === BUSY) {
        await new Promise((resolve) => setTimeout(resolve, busyRetryDelayMs));
        reply = await exchange(code);
      }
      const errcode = reply.errcode ?? 0;
      if (errcode !== 0) throw loginError(errcode, reply.errmsg);
      return sessionFrom(reply);
    },
  };
}

/** The container's WxLogin, built from configuration (and the app secret from SSM) at first use. */
export function configuredWxLogin(): WxLogin {
  let built: Promise<WxLogin> | undefined;
  return {
    async code2Session(code) {
      built ??= loadWxAppSettings()
        .then((settings) => createWxLogin(settings))
        .catch((error: unknown) => {
          built = undefined;
          throw error;
        });
      return (await built).code2Session(code);
    },
  };
}
