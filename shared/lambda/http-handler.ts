import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { describeError, logger } from '../logging/logger';
import * as z from '../schemas/zod';
import { DependencyUnavailableError } from '../ports/errors';
import { HttpError, toErrorResponse } from './http-errors';
import { exitAfterInvokeLocal } from './invoke-local';

/**
 * Answer this long before Lambda would end the function: each dependency has its own budget, but a request that meets
 * several slow ones can add up to more than the function's timeout, and a function that times out answers no body.
 */
export const ANSWER_MARGIN_MS = 300;

/** Largest accepted request body. API Gateway allows far more; no route of ours needs more than a few KiB. */
export const MAX_BODY_BYTES = 64 * 1024;

export type HttpResult = { statusCode: number; body?: unknown; headers?: Record<string, string> };

export type HttpRequest<B, Q, P, A> = {
  body: B;
  query: Q;
  path: P;
  auth: A;
  /** The exact body bytes as text, for signature checks (webhooks). */
  rawBody: string;
  event: APIGatewayProxyEventV2;
  requestId: string;
};

type Schema<T> = z.core.$ZodType<T>;

export type HttpSpec<B, Q, P, A> = {
  body?: Schema<B>;
  query?: Schema<Q>;
  path?: Schema<P>;
  /** Resolves the caller or throws (401); absent for public routes. Runs before any validation. */
  auth?: (event: APIGatewayProxyEventV2) => Promise<A>;
  /** WeChat Pay webhooks: every error answers `{ code: "FAIL", message }`, as WeChat Pay expects. */
  wechatPayWebhook?: boolean;
};

const jsonHeaders = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export function jsonResponse(statusCode: number, body?: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { ...jsonHeaders, ...headers }, body: body === undefined ? '' : JSON.stringify(body) };
}

function rawBodyOf(event: APIGatewayProxyEventV2): string {
  if (event.body === undefined || event.body === null) return '';
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `request body is over ${MAX_BODY_BYTES} bytes`);
  return bytes.toString('utf8');
}

function parseJson(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'INVALID_JSON', 'request body is not valid JSON');
  }
}

/** Runs a schema; a failure becomes 400 VALIDATION_FAILED naming each offending field. */
export function validate<T>(schema: Schema<T>, value: unknown, where: 'body' | 'query' | 'path'): T {
  const result = z.safeParse(schema, value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join('.') : where;
    return `${field}: ${issue.message}`;
  });
  throw new HttpError(400, 'VALIDATION_FAILED', problems.join('; '));
}

/** Log fields of a refusal: the public reason, plus what only operators should see (which dependency failed). */
function refusalDetails(error: unknown, reason: string): Record<string, unknown> {
  const { dependency, detail } = error as { dependency?: unknown; detail?: unknown };
  return { reason, ...(dependency === undefined ? {} : { dependency }), ...(detail === undefined ? {} : { detail }) };
}

/**
 * The one middy stack for HTTP functions, in this order: request-scoped log keys, body size limit, authentication
 * (so that a caller without a valid token or key learns nothing about a route's schema), JSON parsing and validation
 * of path, query and body, then the flow. Every error becomes `{ code, message }` with its status (503s and 429s with
 * `Retry-After`), and anything unexpected a bare 500 whose details go only to the log.
 */
export function httpHandler<B = undefined, Q = undefined, P = undefined, A = undefined>(
  spec: HttpSpec<B, Q, P, A>,
  run: (request: HttpRequest<B, Q, P, A>) => Promise<HttpResult>,
) {
  const core = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const rawBody = rawBodyOf(event);
    const requestId = event.requestContext?.requestId ?? 'local';
    const auth = (spec.auth ? await spec.auth(event) : undefined) as A;
    const path = (spec.path ? validate(spec.path, event.pathParameters ?? {}, 'path') : undefined) as P;
    const query = (spec.query ? validate(spec.query, event.queryStringParameters ?? {}, 'query') : undefined) as Q;
    const body = (spec.body ? validate(spec.body, parseJson(rawBody), 'body') : undefined) as B;
    const result = await run({ body, query, path, auth, rawBody, event, requestId });
    return jsonResponse(result.statusCode, result.body, result.headers);
  };

  const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>({
    // middy races the flow against the remaining time; what it throws is answered as any outage: 503 and Retry-After.
    // The flow's writes are conditional and idempotent, so the retry the 503 asks for is safe.
    timeoutEarlyInMillis: ANSWER_MARGIN_MS,
    timeoutEarlyResponse: () => {
      throw new DependencyUnavailableError('deadline', `no answer ${ANSWER_MARGIN_MS} ms before the function's timeout`);
    },
  })
    .use({
      name: 'requestLogging',
      before: (request) => {
        const http = request.event.requestContext?.http;
        logger.appendKeys({ requestId: request.event.requestContext?.requestId, route: request.event.routeKey ?? http?.path });
        (request.internal as Record<string, unknown>).startedAt = Date.now();
      },
      after: (request) => {
        const startedAt = (request.internal as Record<string, unknown>).startedAt as number;
        logger.info('request handled', { statusCode: request.response?.statusCode, durationMs: Date.now() - startedAt });
        logger.resetKeys();
      },
      onError: (request) => {
        const mapped = toErrorResponse(request.error);
        if (mapped) {
          const log = mapped.statusCode >= 500 ? logger.warn.bind(logger) : logger.info.bind(logger);
          log('request refused', { statusCode: mapped.statusCode, code: mapped.code, ...refusalDetails(request.error, mapped.message) });
          request.response = jsonResponse(mapped.statusCode, { code: spec.wechatPayWebhook ? 'FAIL' : mapped.code, message: mapped.message }, mapped.headers);
        } else {
          logger.error('request failed', describeError(request.error));
          const requestId = request.event.requestContext?.requestId ?? 'unknown';
          request.response = jsonResponse(500, { code: spec.wechatPayWebhook ? 'FAIL' : 'INTERNAL_ERROR', message: `internal error; quote request id ${requestId} to support` });
        }
        logger.resetKeys();
      },
    })
    .handler(core);
  return exitAfterInvokeLocal(handler);
}
