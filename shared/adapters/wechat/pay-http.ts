import type { KeyObject } from 'node:crypto';
import type * as z from '../../schemas/zod';
import { logger } from '../../logging/logger';
import type { Clock } from '../../ports/clock';
import { PaymentGatewayError, PaymentGatewayUnavailableError, PaymentResponseUnverifiedError } from '../../ports/payment-gateway';
import { randomNonce, signLines } from './pay-crypto';
import { checkWechatpaySignature } from './pay-signature';
import { isTimeout } from './fetch-timeout';

/** What signs our requests and checks WeChat Pay's answers. */
export type WechatPayCredentials = {
  mchid: string;
  /** Serial of the merchant API certificate, sent as `serial_no`. */
  merchantSerialNo: string;
  merchantPrivateKey: KeyObject;
  /** Allow-list `{PUB_KEY_ID_... or platform certificate serial -> public key}` for answers and notifications. */
  wechatpayPublicKeys: ReadonlyMap<string, KeyObject>;
};

export type WechatPayHttpDeps = WechatPayCredentials & {
  apiBaseUrl: string;
  fetch: typeof fetch;
  clock: Clock;
  timeoutMs: number;
  /** Sent as the `Wechatpay-Serial` request header so that WeChat Pay signs its answers with this public key. */
  wechatpayPublicKeyId?: string;
};

export type WechatPayAnswer = { status: number; body: unknown };

/** One signed call to WeChat Pay API v3, returning a verified, parsed 2xx answer or throwing a port error. */
export type WechatPayCall = (method: 'GET' | 'POST', pathAndQuery: string, body?: object) => Promise<WechatPayAnswer>;

function authorization(deps: WechatPayHttpDeps, method: string, signedPath: string, bodyText: string): string {
  const timestamp = String(Math.floor(deps.clock.now().getTime() / 1_000));
  const nonce = randomNonce();
  const signature = signLines([method, signedPath, timestamp, nonce, bodyText], deps.merchantPrivateKey);
  return `WECHATPAY2-SHA256-RSA2048 mchid="${deps.mchid}",nonce_str="${nonce}",signature="${signature}",timestamp="${timestamp}",serial_no="${deps.merchantSerialNo}"`;
}

function errorFrom(status: number, raw: Buffer): PaymentGatewayError {
  try {
    const { code, message } = JSON.parse(raw.toString('utf8')) as { code?: unknown; message?: unknown };
    return new PaymentGatewayError(status, typeof code === 'string' ? code : 'UNKNOWN', typeof message === 'string' ? message : '');
  } catch {
    return new PaymentGatewayError(status, 'UNKNOWN', 'answer without a JSON error body');
  }
}

async function exchange(deps: WechatPayHttpDeps, url: URL, init: RequestInit): Promise<{ response: Response; raw: Buffer }> {
  try {
    const response = await deps.fetch(url, { ...init, signal: AbortSignal.timeout(deps.timeoutMs) });
    return { response, raw: Buffer.from(await response.arrayBuffer()) };
  } catch (error) {
    throw new PaymentGatewayUnavailableError(`${init.method} ${url.pathname}: ${isTimeout(error) ? 'timed out' : 'network error'}`);
  }
}

/**
 * Signs each request over exactly what is sent (the body serialised once, the path and query as the URL encodes
 * them) and verifies every 2xx answer before parsing it: an unsigned or badly signed answer may be forged.
 * Error answers (4xx/5xx) are not reliably signed by WeChat Pay, so they are only parsed.
 */
export function createWechatPayCall(deps: WechatPayHttpDeps): WechatPayCall {
  return async (method, pathAndQuery, body) => {
    const url = new URL(pathAndQuery, deps.apiBaseUrl);
    const bodyText = body === undefined ? '' : JSON.stringify(body);
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': 'wx-shop-backend (node)',
      authorization: authorization(deps, method, url.pathname + url.search, bodyText),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(deps.wechatpayPublicKeyId ? { 'wechatpay-serial': deps.wechatpayPublicKeyId } : {}),
    };
    const { response, raw } = await exchange(deps, url, { method, headers, body: body === undefined ? undefined : bodyText });
    if (response.status < 200 || response.status > 299) throw errorFrom(response.status, raw);

    const rejection = checkWechatpaySignature((name) => response.headers.get(name) ?? undefined, raw, deps.wechatpayPublicKeys, deps.clock.now());
    if (rejection) {
      logger.warn('WeChat Pay answer failed verification', { reason: rejection.reason, path: url.pathname, wechatpayRequestId: response.headers.get('request-id') });
      throw new PaymentResponseUnverifiedError(rejection.reason, rejection.detail);
    }
    // 202 is "accepted, not processed yet" (USERPAYING and the like), not a result: repeat with the same parameters.
    if (response.status === 202) throw new PaymentGatewayUnavailableError(`${method} ${url.pathname}: accepted but not processed (202 ${errorFrom(202, raw).providerCode})`);
    if (raw.length === 0) return { status: response.status, body: undefined };
    try {
      return { status: response.status, body: JSON.parse(raw.toString('utf8')) };
    } catch {
      throw new PaymentGatewayUnavailableError(`${method} ${url.pathname}: signed answer is not JSON`);
    }
  };
}

/** Reads a verified answer's body with a schema; a shape we do not understand is treated like an unusable answer. */
export function readAnswer<S extends z.ZodMiniType>(schema: S, answer: WechatPayAnswer, what: string): z.output<S> {
  const parsed = schema.safeParse(answer.body);
  if (!parsed.success) throw new PaymentGatewayUnavailableError(`${what}: unexpected answer (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  return parsed.data;
}
