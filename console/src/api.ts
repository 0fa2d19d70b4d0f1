import { readKey, signOut } from './session';

/** An answer other than 2xx, as the API's `{ code, message }`; status 0 when the server could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Init = { method?: 'GET' | 'PUT' | 'POST'; body?: unknown; query?: Record<string, string | number | undefined> };

function withQuery(path: string, query: Init['query'] = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(name, String(value));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

async function send(path: string, key: string, init: Init): Promise<{ status: number; data: unknown }> {
  const headers: Record<string, string> = { 'x-admin-key': key, accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    // Same origin: the console is served beside the API, locally and behind CloudFront.
    response = await fetch(withQuery(path, init.query), { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  } catch {
    throw new ApiError(0, 'NETWORK', '无法连接到服务器');
  }
  const text = await response.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = { code: `HTTP_${response.status}`, message: text.slice(0, 200) };
  }
  return { status: response.status, data };
}

function errorOf(status: number, data: unknown): ApiError {
  const { code, message } = (data ?? {}) as { code?: string; message?: string };
  return new ApiError(status, code ?? `HTTP_${status}`, message ?? '');
}

/** Calls an admin route with the stored key. A refused key (401) signs the operator out. */
export async function api<T>(path: string, init: Init = {}): Promise<T> {
  const key = readKey();
  if (!key) {
    signOut('请先登录');
    throw new ApiError(401, 'UNAUTHORIZED', 'not signed in');
  }
  const { status, data } = await send(path, key, init);
  if (status >= 200 && status < 300) return data as T;
  if (status === 401) signOut('管理密钥已失效或不正确，请重新登录');
  throw errorOf(status, data);
}

/** Tries a key before keeping it: true when the API takes it, false when it is refused (401). */
export async function keyIsAccepted(key: string): Promise<boolean> {
  const { status, data } = await send('/admin/stores', key, {});
  if (status === 401) return false;
  if (status >= 200 && status < 300) return true;
  throw errorOf(status, data);
}

/** A public route (what shoppers see), for the store's products. */
export async function publicApi<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { accept: 'application/json' } }).catch(() => {
    throw new ApiError(0, 'NETWORK', '无法连接到服务器');
  });
  const data: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw errorOf(response.status, data);
  return data as T;
}
