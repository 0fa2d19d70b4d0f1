import type { Gateway } from '../../local/gateway/server';

/**
 * `headers` is the fetch Headers (names case-insensitive, listed lower-cased), kept non-enumerable so that
 * `toEqual({ status, body })` comparisons stay as they were; a spread (`{ ...response }`) does not carry it.
 */
export type ApiResponse = { status: number; body: any; readonly headers: Headers };

/** Starts the local API Gateway stand-in (real handlers) on a free port. Import after the environment is set. */
export async function startApi() {
  const { startGateway } = await import('../../local/gateway/server');
  const gateway: Gateway = await startGateway(0);
  // WeChat Pay (the stand-in) calls this gateway back; the functions read these at their first payment.
  process.env.WXPAY_NOTIFY_URL = `${gateway.url}/wxpay/notify`;
  process.env.WXPAY_REFUND_NOTIFY_URL = `${gateway.url}/wxpay/refund-notify`;
  const call = async (method: string, path: string, options: { body?: unknown; token?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const response = await fetch(`${gateway.url}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    });
    const text = await response.text();
    const answer = { status: response.status, body: text ? JSON.parse(text) : undefined };
    return Object.defineProperty(answer, 'headers', { value: response.headers, enumerable: false }) as ApiResponse;
  };
  return { gateway, call, close: () => gateway.close() };
}

/** Simulates wx.login at the WeChat stand-in: a fresh single-use code (deterministic openid per `user`). */
export async function newLoginCode(user?: string): Promise<{ code: string; openid: string }> {
  const response = await fetch(`${process.env.WX_API_BASE_URL}/__sandbox/login-codes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(user ? { user } : {}),
  });
  return (await response.json()) as { code: string; openid: string };
}

/** Queues jscode2session errcodes at the stand-in (each answers one call). */
export async function queueLoginFaults(errcodes: number[], code?: string): Promise<void> {
  await fetch(`${process.env.WX_API_BASE_URL}/__sandbox/login-faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ errcodes, ...(code ? { code } : {}) }),
  });
}
