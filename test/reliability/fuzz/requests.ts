import { randomUUID } from 'node:crypto';
import type { Route } from '../../../local/gateway/routes';
import { badId, badValue, deepJson, hugeString, INJECTIONS, MALFORMED_JSON, ODD_UNICODE, OUT_OF_RANGE, PROTO_BODIES, WRONG_TYPES } from './inputs';
import type { Random } from './random';

/** A request the fuzzer sends: raw, so that paths and bodies reach the gateway exactly as written. */
export type FuzzRequest = { method: string; path: string; headers: Record<string, string>; body?: string; label: string };

/** What the fuzzer may use: real shoppers (A, whose ids it must never act on, and B), keys, and the fixture's ids. */
export type FuzzTargets = {
  a: { token: string; orderIds: string[] };
  b: { orderIds: string[] };
  expiredToken: string;
  adminKey: string;
  storeId: string;
};

type FieldKind = 'id' | 'int' | 'text' | 'lines' | 'enum' | 'number' | 'object' | 'requestId';
/** `range`: the integers an `int` field accepts. */
type Field = { at: string; kind: FieldKind; required: boolean; range?: [number, number] };
type BodyTemplate = { base: (t: FuzzTargets) => Record<string, unknown>; fields: Field[] };

const field = (at: string, kind: FieldKind, required = true, range?: [number, number]): Field => ({ at, kind, required, range });
const LINE_FIELDS = [field('items', 'lines'), field('items.0.productId', 'id'), field('items.0.quantity', 'int', true, [1, 99])];

/** A valid body of each route that takes one, and its fields: a breaking mutation changes one of them. */
const BODIES: Record<string, BodyTemplate> = {
  'POST /auth/login': { base: () => ({ code: 'code-from-wx-login' }), fields: [field('code', 'text')] },
  'PUT /cart': { base: (t) => ({ storeId: t.storeId, items: [{ productId: 'latte', quantity: 1 }] }), fields: [field('storeId', 'id'), ...LINE_FIELDS] },
  'POST /orders': {
    base: (t) => ({ requestId: randomUUID(), storeId: t.storeId, items: [{ productId: 'latte', quantity: 1 }] }),
    fields: [field('requestId', 'requestId'), field('storeId', 'id'), ...LINE_FIELDS.map((f) => ({ ...f, required: f.at !== 'items' })), field('couponId', 'id', false)],
  },
  'POST /orders/{orderId}/refund': { base: () => ({ reason: '不想要了' }), fields: [field('reason', 'text', false)] },
  'POST /admin/orders/{orderId}/refund': { base: () => ({ reason: '门店缺货' }), fields: [field('reason', 'text')] },
  'PUT /admin/stores/{storeId}': {
    base: () => ({ name: '测试店', address: '上海市测试路1号', location: { lat: 31.2, lng: 121.4 }, openHours: '08:00-22:00', status: 'OPEN' }),
    fields: [field('name', 'text'), field('address', 'text'), field('location', 'object'), field('location.lat', 'number'), field('location.lng', 'number'), field('openHours', 'text'), field('status', 'enum')],
  },
  'PUT /admin/stores/{storeId}/products/{productId}': {
    base: () => ({ name: '拿铁', priceFen: 1800, stock: 10 }),
    fields: [field('name', 'text'), field('priceFen', 'int', true, [0, 100_000_000]), field('stock', 'int', true, [0, 1_000_000])],
  },
};

const PUBLIC = new Set(['POST /auth/login', 'GET /stores', 'GET /stores/{storeId}', 'GET /stores/{storeId}/products', 'GET /notices/templates']);
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

type Kind = 'user' | 'admin' | 'public' | 'webhook';
const kindOf = (route: Route): Kind => (route.path.startsWith('/wxpay/') ? 'webhook' : route.path.startsWith('/admin/') ? 'admin' : PUBLIC.has(route.routeKey) ? 'public' : 'user');

/** Percent-encodes the UTF-8 bytes of a path segment (lone surrogates included, which encodeURIComponent refuses). */
export function encodeSegment(value: string): string {
  return [...Buffer.from(value, 'utf8')].map((byte) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

/** The object holding the field at `at` (`items.0.quantity` -> the first line), and the field's own key. */
function parentOf(body: Record<string, any>, at: string): [Record<string, any> | undefined, string] {
  const keys = at.split('.');
  const parent = keys.slice(0, -1).reduce<any>((target, key) => target?.[key], body);
  return [parent && typeof parent === 'object' ? parent : undefined, keys[keys.length - 1] as string];
}

function setAt(body: Record<string, any>, at: string, value: unknown): void {
  const [parent, key] = parentOf(body, at);
  if (parent) parent[key] = value;
}

function deleteAt(body: Record<string, any>, at: string): void {
  const [parent, key] = parentOf(body, at);
  if (parent) delete parent[key];
}

/** A value the field's schema refuses, whatever else the body holds. */
function breakingValue(random: Random, { kind, range = [0, 0] }: Field): unknown {
  const nonString = WRONG_TYPES.filter((v) => typeof v !== 'string');
  switch (kind) {
    case 'id':
    case 'requestId':
      return random.chance(0.7) ? badId(random) : random.pick(nonString);
    case 'int':
      return random.pick([...OUT_OF_RANGE, ...nonString].filter((v) => !(Number.isInteger(v) && (v as number) >= range[0] && (v as number) <= range[1])));
    case 'number':
      return random.pick([1e308, -1e308, 200, -200, 'NaN', '31.2', null, [], {}]);
    case 'text':
      return random.pick([...nonString, 'x'.repeat(300), '\u202eevil', '\u0000', '\ud800', '   ', '\u200b']);
    case 'enum':
      return random.pick(['open', 'DELETED', '', 0, null, ...INJECTIONS.slice(0, 3)]);
    case 'lines':
      return random.pick(['latte', {}, [{ productId: 'latte' }], [{ productId: 'latte', quantity: 0 }], [{ productId: 'latte', quantity: 1 }, { productId: 'latte', quantity: 1 }], Array.from({ length: 21 }, (_, i) => ({ productId: `p${i}`, quantity: 1 }))]);
    case 'object':
      return random.pick(['31.2,121.4', [31.2, 121.4], null, {}, { lat: '31' }]);
  }
}

/** Extra fields, prototype-pollution keys and odd unicode, added to bodies that are refused anyway. */
function decorate(random: Random, body: Record<string, unknown>): Record<string, unknown> {
  const decorated: Record<string, unknown> = random.chance(0.3) ? Object.assign(JSON.parse(JSON.stringify(random.pick(PROTO_BODIES))), body) : { ...body };
  if (random.chance(0.3)) decorated[random.pick(['admin', 'userId', 'status', 'priceFen', 'isAdmin', 'role', ...ODD_UNICODE])] = badValue(random);
  return decorated;
}

/** A body that the route's schema (or its size limit) refuses. */
function breakingBody(random: Random, template: BodyTemplate | undefined, targets: FuzzTargets): string {
  const choice = random.int(0, 9);
  if (choice === 0) return hugeString(random.pick([64 * 1024 + 1, 200_000, 1_000_000]));
  if (!template || choice === 1) return random.pick(MALFORMED_JSON);
  // Never a deep object: a schema whose fields are all optional would strip its unknown key and accept it.
  if (choice === 2) return random.pick(['[]', '"text"', '1', 'null', 'true', deepJson(random, random.int(100, 50_000), 'array')]);
  const body = template.base(targets);
  const required = template.fields.filter((f) => f.required);
  if (choice === 3 && required.length > 0) deleteAt(body, random.pick(required).at);
  else {
    const target = random.pick(template.fields);
    setAt(body, target.at, choice === 4 ? JSON.parse(deepJson(random, random.int(50, 2_000))) : breakingValue(random, target));
  }
  return JSON.stringify(decorate(random, body));
}

function validAuth(kind: Kind, targets: FuzzTargets): Record<string, string> {
  if (kind === 'user') return { authorization: `Bearer ${targets.a.token}` };
  if (kind === 'admin') return { 'x-admin-key': targets.adminKey };
  return {};
}

const flip = (token: string) => `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;

/** Credentials that must be refused: missing, malformed, tampered, expired, or absurdly long. */
function breakingAuth(random: Random, kind: Kind, targets: FuzzTargets): Record<string, string> {
  if (kind === 'admin') {
    const admin: Array<Record<string, string>> = [{}, { 'x-admin-key': 'wrong-key' }, { 'x-admin-key': `${targets.adminKey}x` }, { 'x-admin-key': 'k'.repeat(8_000) }, { 'x-admin-key': "' OR '1'='1" }, { authorization: `Bearer ${targets.a.token}` }];
    return random.pick(admin);
  }
  const user: Array<Record<string, string>> = [
    {},
    { authorization: 'Bearer' },
    { authorization: `Bearer ${flip(targets.a.token)}` },
    { authorization: `Bearer ${targets.expiredToken}` },
    { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
    { authorization: `Bearer ${'t'.repeat(4_000)}` },
    { authorization: `Bearer ${random.pick(INJECTIONS.filter((s) => /^[\x20-\x7e]*$/.test(s)))}` },
    { authorization: targets.a.token },
    { 'x-admin-key': targets.adminKey },
  ];
  return random.pick(user);
}

/** A path for the route with its ids: the caller's own (only when something else breaks the request), or breaking ones. */
function pathFor(random: Random, route: Route, kind: Kind, targets: FuzzTargets, breaking: boolean): string {
  const orderIds = (breaking ? (kind === 'user' ? ['other', 'missing', 'bad'] : ['missing', 'bad']) : ['own']) as Array<'own' | 'other' | 'missing' | 'bad'>;
  // Creating routes (PUT a store or product) create what a well-formed missing id names: only a bad id breaks them.
  const creates = route.method === 'PUT' && kind === 'admin';
  return route.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const which = creates && breaking ? 'bad' : random.pick(orderIds);
    // Not `.`, `..` or empty: the URL's dot segments and an empty segment lead to another route.
    if (which === 'bad') return random.chance(0.1) ? random.pick(['%', '%FF', '%C0%AF', '%2F', '%2e%2e']) : encodeSegment(badId(random) || '%');
    if (name === 'storeId') return which === 'missing' ? `s-missing-${random.int(0, 1e6)}` : targets.storeId;
    if (name === 'productId') return which === 'missing' ? 'no-such-product' : 'latte';
    if (which === 'other') return random.pick(targets.b.orderIds);
    if (which === 'missing') return `o${random.int(0, 2 ** 30).toString(16).padStart(31, '0')}`;
    return random.pick(targets.a.orderIds);
  });
}

function junkQuery(random: Random): string {
  const pairs = [
    `limit=${encodeSegment(String(random.pick(OUT_OF_RANGE)))}`,
    `cursor=${encodeSegment(random.pick([...INJECTIONS, 'eyJ1c2VySWQiOiJ4In0', 'x'.repeat(2_000)]))}`,
    `status=${encodeSegment(random.pick(['BOGUS', ...INJECTIONS.slice(0, 4)]))}`,
    '__proto__[polluted]=yes',
    'constructor[prototype][polluted]=yes',
    `${encodeSegment(random.pick(ODD_UNICODE))}=1`,
  ];
  return pairs.filter(() => random.chance(0.4)).join('&');
}

/** A method that no route of this path has: the catch-all answers it. */
function wrongMethod(random: Random, routes: Route[], path: string): string | undefined {
  const taken = new Set(routes.filter((r) => r.routeKey !== '$default' && r.match(r.method, path)).map((r) => r.method));
  const free = METHODS.filter((m) => !taken.has(m));
  return free.length > 0 ? random.pick(free) : undefined;
}

/** A path no route serves (the catch-all's), with any method. */
function unknownRoute(random: Random): FuzzRequest {
  const segments = Array.from({ length: random.int(1, 4) }, () => (random.chance(0.5) ? random.pick(['admin', 'orders', 'internal', '.env', 'api', 'v1']) : encodeSegment(badId(random))));
  return { method: random.pick(METHODS), path: `/${segments.join('/')}`, headers: {}, label: '$default [route]' };
}

type Breaking = 'auth' | 'path' | 'body' | 'size' | 'query' | 'method';

/** The ways this route's request can be made certainly invalid. */
function breakingOptions(route: Route, kind: Kind): Breaking[] {
  const options: Breaking[] = ['size', 'method'];
  if (kind === 'user' || kind === 'admin') options.push('auth', 'auth');
  if (/\{\w+\}/.test(route.path)) options.push('path', 'path');
  if (BODIES[route.routeKey]) options.push('body', 'body', 'body');
  if (route.routeKey === 'GET /orders' || route.routeKey === 'GET /me/coupons') options.push('query');
  return options;
}

function breakingQuery(random: Random, route: Route): string {
  if (route.routeKey === 'GET /orders') return `limit=${encodeSegment(String(random.pick([0, -1, 101, 'abc', 1.5, 1e9, "1' OR 1=1"])))}`;
  return `status=${encodeSegment(random.pick(['BOGUS', 'unused', '', ...INJECTIONS.slice(0, 3)]))}`;
}

/**
 * One request to `route` that the service must refuse: exactly one element is chosen to break it (credentials, an id,
 * the body, its size, the query, the method), the rest is as valid as the fixture allows, then decorated. Routes whose
 * every request is invalid (login with a made-up code, the webhooks without WeChat Pay's key) break on their own.
 */
export function fuzzRequest(random: Random, routes: Route[], route: Route, targets: FuzzTargets, webhookRequest: (random: Random, path: string) => FuzzRequest): FuzzRequest {
  if (route.routeKey === '$default') return unknownRoute(random);
  const kind = kindOf(route);
  if (kind === 'webhook') return webhookRequest(random, route.path);
  const otherMethod = wrongMethod(random, routes, route.path.replace(/\{\w+\}/g, 'x'));
  const breaking = random.pick(breakingOptions(route, kind).filter((b) => b !== 'method' || otherMethod));
  const method = breaking === 'method' ? (otherMethod as string) : route.method;
  const headers: Record<string, string> = { ...(breaking === 'auth' ? breakingAuth(random, kind, targets) : validAuth(kind, targets)) };
  const template = BODIES[route.routeKey];
  let body: string | undefined;
  if (breaking === 'size') body = hugeString(random.pick([64 * 1024 + 1, 300_000]));
  else if (breaking === 'body') body = breakingBody(random, template, targets);
  else if (template && random.chance(0.7)) body = JSON.stringify(decorate(random, template.base(targets)));
  if (body !== undefined) headers['content-type'] = random.chance(0.9) ? 'application/json' : random.pick(['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'application/octet-stream']);
  if (random.chance(0.1)) headers['x-forwarded-for'] = random.pick(INJECTIONS.filter((s) => /^[\x20-\x7e]*$/.test(s)));
  const query = breaking === 'query' ? breakingQuery(random, route) : random.chance(0.3) ? junkQuery(random) : '';
  const path = pathFor(random, route, kind, targets, breaking === 'path');
  return { method, path: query ? `${path}?${query}` : path, headers, body, label: `${route.routeKey} [${breaking}]` };
}
