import type { paths } from './api-types';

// A typed client of the API for the mini-program and the tests: paths, parameters, bodies and every answer's status
// and body come from the types generated from docs/openapi.json, so a change of the API that the client code does not
// follow is a compile error. It needs only a fetch-like function: the mini-program adapts wx.request to one.

type Method = 'get' | 'put' | 'post';
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;

/** The paths that have an operation for this method. */
export type PathsOf<M extends Method> = { [P in keyof paths]: [NonNullable<paths[P][M]>] extends [never] ? never : P }[keyof paths];

type Parameters<Op> = Op extends { parameters: infer Params } ? Params : never;
type PathInit<Op> = [NonNullable<Parameters<Op>['path' & keyof Parameters<Op>]>] extends [never] ? { path?: never } : { path: NonNullable<Parameters<Op>['path' & keyof Parameters<Op>]> };
type QueryInit<Op> = [NonNullable<Parameters<Op>['query' & keyof Parameters<Op>]>] extends [never] ? { query?: never } : { query?: NonNullable<Parameters<Op>['query' & keyof Parameters<Op>]> };
type JsonOf<T> = T extends { content: { 'application/json': infer Body } } ? Body : undefined;
type BodyInit<Op> = Op extends { requestBody: infer Body }
  ? { body: JsonOf<Body> }
  : Op extends { requestBody?: infer Body }
    ? [NonNullable<Body>] extends [never]
      ? { body?: never }
      : { body?: JsonOf<NonNullable<Body>> }
    : { body?: never };

/** What a call takes: the path's parameters, the query, the body, and the caller's credentials. */
export type CallInit<Op> = PathInit<Op> &
  QueryInit<Op> &
  BodyInit<Op> & {
    /** A session token of POST /auth/login: `Authorization: Bearer <token>`. */
    token?: string;
    /** The operators' key: `X-Admin-Key`. */
    adminKey?: string;
    headers?: Record<string, string>;
  };

type Responses<Op> = Op extends { responses: infer R } ? R : never;

/** Every answer the document lists for the operation, told apart by status. */
export type Answer<Op> = { [S in keyof Responses<Op>]: { status: S; body: JsonOf<Responses<Op>[S]>; headers: Headers } }[keyof Responses<Op>];

type Fetch = (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<{ status: number; headers: Headers; text(): Promise<string> }>;

function url(baseUrl: string, template: string, init: { path?: Record<string, unknown>; query?: Record<string, unknown> }): string {
  const path = template.replace(/\{(\w+)\}/g, (_match, name: string) => encodeURIComponent(String(init.path?.[name])));
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(init.query ?? {})) if (value !== undefined) query.set(name, String(value));
  const search = query.toString();
  return `${baseUrl}${path}${search ? `?${search}` : ''}`;
}

export type ClientOptions = {
  baseUrl: string;
  fetch?: Fetch;
  /** Sees every answer with the path template it was asked of (tests check each against the document). */
  onAnswer?: (answer: { method: string; path: string; status: number; body: unknown }) => void;
};

export function createApiClient(options: ClientOptions) {
  const send = options.fetch ?? (globalThis.fetch as Fetch);
  const call =
    <M extends Method>(method: M) =>
    async <P extends PathsOf<M>>(path: P, ...[init]: Partial<CallInit<Operation<P, M>>> extends CallInit<Operation<P, M>> ? [CallInit<Operation<P, M>>?] : [CallInit<Operation<P, M>>]): Promise<Answer<Operation<P, M>>> => {
      const given = (init ?? {}) as { path?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown; token?: string; adminKey?: string; headers?: Record<string, string> };
      const headers: Record<string, string> = { ...given.headers };
      if (given.body !== undefined) headers['content-type'] = 'application/json';
      if (given.token) headers.authorization = `Bearer ${given.token}`;
      if (given.adminKey) headers['x-admin-key'] = given.adminKey;
      const response = await send(url(options.baseUrl, path, given), {
        method: method.toUpperCase(),
        headers,
        ...(given.body === undefined ? {} : { body: JSON.stringify(given.body) }),
      });
      const text = await response.text();
      const body: unknown = text ? JSON.parse(text) : undefined;
      options.onAnswer?.({ method: method.toUpperCase(), path, status: response.status, body });
      return { status: response.status, body, headers: response.headers } as Answer<Operation<P, M>>;
    };
  return { get: call('get'), put: call('put'), post: call('post') };
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** The body of an answer that must have this status; anything else throws, naming what came instead. */
export function bodyOf<A extends { status: unknown; body: unknown }, const S extends A['status']>(answer: A, status: S): Extract<A, { status: S }>['body'] {
  if (answer.status !== status) throw new Error(`expected ${String(status)}, got ${String(answer.status)} ${JSON.stringify(answer.body)}`);
  return answer.body as Extract<A, { status: S }>['body'];
}
