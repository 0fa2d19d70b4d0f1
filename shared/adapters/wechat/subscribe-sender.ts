import { logger } from '../../logging/logger';
import { WxMessageRejectedError, WxSendOutcomeUnknownError, WxUnavailableError, type SubscribeMessage, type SubscribeMessageSender, type SubscribeSendResult } from '../../ports/wechat';
import { isAccessTokenErrcode, type SharedAccessToken } from './access-token';
import { fitSubscribeData } from './subscribe-values';
import { callWxApi, wxApiUrl, type WxReply } from './wx-api';

export type SubscribeMessageSenderDeps = {
  accessToken: SharedAccessToken;
  apiBaseUrl: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Which release of the mini-program a tap on the card opens. */
  miniprogramState?: 'developer' | 'trial' | 'formal';
  lang?: 'zh_CN' | 'en_US' | 'zh_HK' | 'zh_TW';
};

const NOT_SUBSCRIBED = 43101;
/** Failures to connect at all: the request never left, so sending again cannot notify the user twice. */
const NEVER_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function neverSent(error: unknown): boolean {
  const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return typeof code === 'string' && NEVER_SENT_CODES.has(code);
}

/** Our payload, openid, template or page is wrong: retrying cannot help. */
const REJECTED_ERRCODES: ReadonlySet<number> = new Set([47003, 40003, 40037, 41030]);

function toResult(reply: WxReply): SubscribeSendResult {
  const errcode = reply.errcode ?? 0;
  if (errcode === 0) return { status: 'SENT', ...(reply.msgid !== undefined ? { msgid: String(reply.msgid) } : {}) };
  if (errcode === NOT_SUBSCRIBED) return { status: 'NOT_SUBSCRIBED' };
  if (REJECTED_ERRCODES.has(errcode)) {
    logger.error('subscribe message rejected', { errcode, errmsg: reply.errmsg });
    throw new WxMessageRejectedError(errcode, reply.errmsg ?? '');
  }
  throw new WxUnavailableError(`subscribe send errcode ${errcode}`);
}

/**
 * Sends subscribe messages (order notices) with the shared access token. Values are fitted to WeChat's limits
 * first. A token WeChat refuses is replaced once and the send retried once; 43101 becomes NOT_SUBSCRIBED; payload
 * errors throw WxMessageRejectedError; a send that may have reached the user without our knowing (timeout, broken
 * connection) throws WxSendOutcomeUnknownError; everything else throws WxUnavailableError so that MQ redelivery retries.
 */
export function createSubscribeMessageSender(deps: SubscribeMessageSenderDeps): SubscribeMessageSender {
  const fetchImpl = deps.fetch ?? fetch;
  const timeoutMs = deps.timeoutMs ?? 3_000;

  /** An answer from WeChat, whatever its errcode, is a known outcome; so is a failure to connect. Anything else is not. */
  async function post(accessToken: string, body: unknown): Promise<WxReply> {
    let connectFailed = false;
    const tracked: typeof fetch = (input, init) =>
      fetchImpl(input, init).catch((error: unknown) => {
        connectFailed = neverSent(error);
        throw error;
      });
    try {
      return await callWxApi({
        fetch: tracked,
        timeoutMs,
        url: wxApiUrl(deps.apiBaseUrl, '/cgi-bin/message/subscribe/send', { access_token: accessToken }),
        json: body,
      });
    } catch (error) {
      if (error instanceof WxUnavailableError && !connectFailed) throw new WxSendOutcomeUnknownError(error.detail);
      throw error;
    }
  }

  return {
    async send(message: SubscribeMessage) {
      const body = {
        touser: message.touser,
        template_id: message.templateId,
        ...(message.page ? { page: message.page } : {}),
        data: fitSubscribeData(message.data),
        miniprogram_state: deps.miniprogramState ?? 'formal',
        lang: deps.lang ?? 'zh_CN',
      };
      const token = await deps.accessToken.current();
      let reply = await post(token, body);
      if (isAccessTokenErrcode(reply.errcode)) {
        reply = await post(await deps.accessToken.replaceRejected(token), body);
        if (isAccessTokenErrcode(reply.errcode)) throw new WxUnavailableError(`subscribe send: the refreshed access token was refused too (${reply.errcode})`);
      }
      return toResult(reply);
    },
  };
}
