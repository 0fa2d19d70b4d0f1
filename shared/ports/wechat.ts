import { DomainError } from '../domain/errors';

/** The identity WeChat's jscode2session returns. `sessionKey` must never leave the server or reach a log. */
export type WxSession = { openid: string; unionid?: string; sessionKey: string };

/** Mini-program login: exchanges a `wx.login` code at WeChat. */
export interface WxLogin {
  /** Throws WxCodeInvalidError, WxRateLimitedError, WxLoginBlockedError or WxUnavailableError. */
  code2Session(code: string): Promise<WxSession>;
}

export type SubscribeMessage = {
  touser: string;
  templateId: string;
  page?: string;
  data: Record<string, { value: string }>;
};

/** `NOT_SUBSCRIBED`: WeChat said 43101 (no accepted subscription left); record it, never retry. */
export type SubscribeSendResult = { status: 'SENT'; msgid?: string } | { status: 'NOT_SUBSCRIBED' };

/** Sends subscribe messages (order notices) through one shared access token. Transient failures throw. */
export interface SubscribeMessageSender {
  send(message: SubscribeMessage): Promise<SubscribeSendResult>;
}

export class WxCodeInvalidError extends DomainError {
  override readonly name = 'WxCodeInvalidError';
  readonly code = 'WX_CODE_INVALID';
  constructor(readonly errcode: number) {
    super('the login code is invalid, expired or already used; call wx.login again');
  }
}

export class WxRateLimitedError extends DomainError {
  override readonly name = 'WxRateLimitedError';
  readonly code = 'WX_RATE_LIMITED';
  constructor() {
    super('too many login attempts; try again in a minute');
  }
}

export class WxLoginBlockedError extends DomainError {
  override readonly name = 'WxLoginBlockedError';
  readonly code = 'WX_LOGIN_BLOCKED';
  constructor() {
    super('WeChat refused this login');
  }
}

export class WxUnavailableError extends DomainError {
  override readonly name = 'WxUnavailableError';
  readonly code = 'WX_UNAVAILABLE';
  constructor(readonly detail: string) {
    super('WeChat is busy or unreachable; try again shortly');
  }
}

/**
 * A subscribe message that may or may not have reached the user: the send timed out, or the connection failed after
 * the request could have arrived. Sending it again could notify the user twice, so it must not be retried where at
 * most once matters (order notices). A send that never left (connection refused) is a WxUnavailableError instead.
 */
export class WxSendOutcomeUnknownError extends DomainError {
  override readonly name = 'WxSendOutcomeUnknownError';
  readonly code = 'WX_UNAVAILABLE';
  constructor(readonly detail: string) {
    super('WeChat did not say whether it took the message');
  }
}

/**
 * WeChat refused a subscribe message for a reason that retrying cannot fix: invalid template data (47003, or our own
 * pre-send check of the value limits), an invalid openid (40003), template (40037) or page (41030). Record it and
 * alert; never redeliver.
 */
export class WxMessageRejectedError extends DomainError {
  override readonly name = 'WxMessageRejectedError';
  readonly code = 'WX_MESSAGE_REJECTED';
  constructor(
    readonly errcode: number,
    readonly detail: string,
  ) {
    super(`WeChat rejects this subscribe message (${errcode}): ${detail}`);
  }
}
