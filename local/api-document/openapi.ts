import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './files';
import { envelopeSchema } from '../../shared/adapters/wechat/pay-notification';
import * as z from '../../shared/schemas/zod';
import { errorCodes, gatewayErrors, retryAfterOf, statusesOf, type ErrorCode } from './errors';
import { responseSchemas } from './responses';
import { apiRoutes, type ApiRoute, type Schema } from './routes';

type Json = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Not the default `<Function>Body`: a body schema several routes share. */
const sharedBodyNames = new Map<Schema, string>([[envelopeSchema, 'WechatPayNotification']]);

const capitalized = (name: string) => name[0]?.toUpperCase() + name.slice(1);

/**
 * zod's JSON Schema, trimmed to what a document wants: no `$schema`/`$id` per component, no bounds that only restate
 * a JavaScript safe integer (zod adds them to every `z.int()` without bounds of its own), and no 400-character
 * pattern beside `format: date-time`, which says the same.
 */
function tidy(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(tidy);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Json = {};
  const dateTime = (schema as Json).format === 'date-time';
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$schema' || key === '$id' || (dateTime && key === 'pattern')) continue;
    if ((key === 'minimum' || key === 'maximum') && Math.abs(value as number) === Number.MAX_SAFE_INTEGER) continue;
    out[key] = tidy(value);
  }
  return out;
}

/** Named schemas through a zod registry, so that one that holds another refers to it (`$ref`) instead of copying it. */
function components(named: Map<Schema, string>, io: 'input' | 'output'): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of named) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { io, target: 'draft-2020-12', uri: (id) => `#/components/schemas/${id}` });
  return tidy(schemas) as Record<string, unknown>;
}

function bodyNames(routes: readonly ApiRoute[]): Map<Schema, string> {
  const names = new Map<Schema, string>();
  for (const route of routes) {
    const body = route.request?.body;
    if (body && !names.has(body)) names.set(body, sharedBodyNames.get(body) ?? `${capitalized(route.functionName)}Body`);
  }
  return names;
}

function parameters(route: ApiRoute): Json[] {
  return (['path', 'query'] as const).flatMap((where) => {
    const schema = route.request?.[where];
    if (!schema) return [];
    const json = tidy(z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' })) as { properties?: Record<string, Json>; required?: string[] };
    return Object.entries(json.properties ?? {}).map(([name, property]) => ({
      name,
      in: where,
      required: where === 'path' || (json.required ?? []).includes(name),
      schema: property,
    }));
  });
}

/** The codes every route of this kind answers besides its own flow's. */
export function genericErrors(route: ApiRoute): ErrorCode[] {
  const webhook = route.auth === 'wechatPaySignature';
  const request = route.request ?? {};
  const codes: ErrorCode[] = [];
  if (route.auth === 'bearer' || route.auth === 'adminKey') codes.push('UNAUTHORIZED');
  // A webhook's body is checked by its signature verification (PAYMENT_NOTIFICATION_REJECTED), not by validation.
  if (!webhook && (request.path || request.query || request.body)) codes.push('VALIDATION_FAILED');
  if (!webhook && request.body) codes.push('INVALID_JSON');
  if (request.body) codes.push('PAYLOAD_TOO_LARGE');
  if (route.usesDependencies !== false) codes.push('DEPENDENCY_UNAVAILABLE');
  codes.push('INTERNAL_ERROR');
  return codes;
}

/** Every code the route answers, grouped by status. */
export function errorsByStatus(route: ApiRoute): Map<number, ErrorCode[]> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set([...genericErrors(route), ...route.errors])) {
    for (const status of statusesOf(code)) byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}

function errorResponse(route: ApiRoute, status: number, codes: ErrorCode[]): Json {
  const webhook = route.auth === 'wechatPaySignature';
  const retryAfter = retryAfterOf(status);
  const lines = codes.map((code) => `- \`${code}\`: ${errorCodes[code]}`);
  return {
    description: webhook ? [`\`FAIL\`, because:`, '', ...lines].join('\n') : lines.join('\n'),
    ...(retryAfter
      ? { headers: { 'Retry-After': { description: 'seconds to wait before trying again', required: true, schema: { type: 'integer', examples: [Number(retryAfter)] } } } }
      : {}),
    content: {
      'application/json': {
        schema: {
          type: 'object',
          properties: { code: webhook ? { const: 'FAIL' } : { type: 'string', enum: codes }, message: { type: 'string' } },
          required: ['code', 'message'],
        },
      },
    },
  };
}

function operation(route: ApiRoute, responseNames: Map<Schema, string>, bodies: Map<Schema, string>): Json {
  const responses: Json = {};
  for (const [status, success] of Object.entries(route.success)) {
    const name = success.schema && responseNames.get(success.schema);
    if (success.schema && !name) throw new Error(`${route.method} ${route.path}: its ${status} schema is not in responseSchemas`);
    responses[status] = { description: success.description, ...(name ? { content: { 'application/json': { schema: ref(name) } } } : {}) };
  }
  for (const [status, codes] of errorsByStatus(route)) responses[status] = errorResponse(route, status, codes);
  const body = route.request?.body;
  const security = { none: [], bearer: [{ session: [] }], adminKey: [{ adminKey: [] }], wechatPaySignature: [{ wechatPaySignature: [] }] }[route.auth];
  return {
    operationId: route.functionName,
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    security,
    ...(parameters(route).length > 0 ? { parameters: parameters(route) } : {}),
    ...(body
      ? { requestBody: { required: !z.safeParse(body, undefined).success, content: { 'application/json': { schema: ref(bodies.get(body) as string) } } } }
      : {}),
    responses,
  };
}

const gatewayTable = ['| Status | Code | When |', '|---|---|---|', ...gatewayErrors.map((e) => `| ${e.status} | \`${e.code}\` | ${e.meaning} |`)];

const description = [
  'The HTTP API of the wx-shop mini-program backend: API Gateway (HTTP API) in front of one Lambda function per route.',
  '',
  'JSON in and out. Amounts are integers in fen (CNY cents); times are ISO-8601 UTC strings. User routes take `Authorization: Bearer <token>` from `POST /auth/login`; `/admin/*` routes take `X-Admin-Key`.',
  '',
  'Every error is `{ "code": "SCREAMING_SNAKE", "message": "..." }` with a 4xx or 5xx status; each operation lists the codes it can answer. Every 503 and 429 carries `Retry-After`. Another user\'s order answers 404 exactly as a missing one. Besides its operations\' own, API Gateway answers these before any function runs:',
  '',
  ...gatewayTable,
  '',
  'Generated from the code by `npm run openapi` (local/api-document); the local stack serves it at `/openapi.json` and as a page at `/docs`.',
].join('\n');

/** The OpenAPI 3.1 document of every route in the registry, from the schemas the handlers validate with. */
export function buildOpenApiDocument(routes: readonly ApiRoute[] = apiRoutes): Json {
  const responseNames = new Map(Object.entries(responseSchemas).map(([name, schema]) => [schema as Schema, name]));
  const bodies = bodyNames(routes);
  const requestComponents = components(bodies, 'input');
  const responseComponents = components(responseNames, 'output');
  for (const name of Object.keys(requestComponents)) if (name in responseComponents) throw new Error(`component ${name} is both a request and a response schema`);

  const paths: Record<string, Json> = {};
  for (const route of routes) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route, responseNames, bodies) };
  }
  const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
  return {
    openapi: '3.1.0',
    info: { title: 'wx-shop API', version, description },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: 'http://localhost:3000', description: 'the local stack (`npm start`)' }],
    tags: [...new Set(routes.map((route) => route.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        session: { type: 'http', scheme: 'bearer', description: 'the token of `POST /auth/login`' },
        adminKey: { type: 'apiKey', in: 'header', name: 'X-Admin-Key', description: 'the operators\' key (`ADMIN_API_KEY`)' },
        wechatPaySignature: {
          type: 'apiKey',
          in: 'header',
          name: 'Wechatpay-Signature',
          description: 'WeChat Pay\'s RSA signature over `Wechatpay-Timestamp`, `Wechatpay-Nonce` and the raw body, with the key `Wechatpay-Serial` names',
        },
      },
      schemas: { ...requestComponents, ...responseComponents },
    },
  };
}

/** The document as committed in docs/openapi.json. */
export const documentText = (document: Json = buildOpenApiDocument()) => `${JSON.stringify(document, null, 2)}\n`;
