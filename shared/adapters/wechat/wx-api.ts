import { WxUnavailableError } from '../../ports/wechat';
import { isTimeout } from './fetch-timeout';

/** The JSON WeChat's server APIs answer with; `errcode` absent or 0 means success. */
export type WxReply = { errcode?: number; errmsg?: string } & Record<string, unknown>;

export type WxApiCall = {
  fetch: typeof fetch;
  url: URL;
  timeoutMs: number;
  /** A JSON body makes it a POST; without one it is a GET. */
  json?: unknown;
};

/** Names what went wrong without the URL: WeChat puts the AppSecret and access tokens in query strings. */
function describeFailure(error: unknown): string {
  if (isTimeout(error)) return 'timed out';
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return `network error${typeof cause?.code === 'string' ? ` ${cause.code}` : ''}`;
}

/**
 * Calls one of WeChat's server APIs (api.weixin.qq.com) and returns its JSON reply, errcode included; the caller
 * maps errcodes. WeChat answers HTTP 200 even for errors, so anything else, a non-JSON body, a network failure or
 * a timeout is a WxUnavailableError.
 */
export async function callWxApi({ fetch, url, timeoutMs, json }: WxApiCall): Promise<WxReply> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: json === undefined ? 'GET' : 'POST',
      headers: json === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: json === undefined ? undefined : JSON.stringify(json),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new WxUnavailableError(`${url.pathname}: ${describeFailure(error)}`);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new WxUnavailableError(`${url.pathname}: ${describeFailure(error)}`);
  }
  if (response.status !== 200) throw new WxUnavailableError(`${url.pathname}: HTTP ${response.status}`);
  try {
    const reply: unknown = JSON.parse(text);
    if (reply !== null && typeof reply === 'object' && !Array.isArray(reply)) return reply as WxReply;
  } catch {
    // falls through to the error below
  }
  throw new WxUnavailableError(`${url.pathname}: answer is not a JSON object`);
}

/** The URL of a WeChat API path under a configurable base (the stand-in locally). */
export function wxApiUrl(baseUrl: string, path: string, query: Record<string, string> = {}): URL {
  const url = new URL(path, baseUrl);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url;
}
