// Shoppers for the benchmarks: wx.login codes from the WeChat stand-in, sessions from POST /auth/login.
export type JsonAnswer = { status: number; json: any };

export async function requestJson(url: string, options: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<JsonAnswer> {
  const response = await fetch(url, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers: { ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

export const postJson = (url: string, body: unknown) => requestJson(url, { method: 'POST', body });

/** wx.login on the stand-in: a single-use code for a test user (same user, same openid), and that openid. */
async function loginCode(wechatUrl: string, user: string): Promise<{ code: string; openid: string }> {
  const { status, json } = await postJson(`${wechatUrl}/__sandbox/login-codes`, { user });
  if (status !== 200 || typeof json?.code !== 'string') throw new Error(`login-codes answered ${status}`);
  return { code: json.code as string, openid: json.openid as string };
}

export const newCode = async (wechatUrl: string, user: string): Promise<string> => (await loginCode(wechatUrl, user)).code;

/** Runs `task` over `items`, `batch` at a time, keeping the order. */
export async function inBatches<T, R>(items: T[], batch: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += batch) results.push(...(await Promise.all(items.slice(i, i + batch).map(task))));
  return results;
}

/** Codes for many users, made ahead so that no timed login waits for one. */
export const newCodes = (wechatUrl: string, users: string[]) => inBatches(users, 50, (user) => newCode(wechatUrl, user));

export type Shopper = { user: string; userId: string; token: string; openid: string };

/** Logs `user` in through the API (wx.login code, then POST /auth/login). */
export async function logIn(apiUrl: string, wechatUrl: string, user: string): Promise<Shopper> {
  const { code, openid } = await loginCode(wechatUrl, user);
  const { status, json } = await postJson(`${apiUrl}/auth/login`, { code });
  if (status !== 200) throw new Error(`POST /auth/login answered ${status}: ${JSON.stringify(json)}`);
  return { user, userId: json.user.id as string, token: json.token as string, openid };
}
