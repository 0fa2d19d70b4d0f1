import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { MqError } from './errors';

/** The docs allow 15 minutes between the request's Date and the server clock (protocol note 2.2). */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const headerValue = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

/** Every `x-mq-*` header, sorted, as `name:value\n` with no space (protocol note 2.2). */
export function canonicalizedMqHeaders(headers: IncomingHttpHeaders): string {
  return Object.keys(headers)
    .map((name) => name.toLowerCase())
    .filter((name) => name.startsWith('x-mq-'))
    .sort()
    .map((name) => `${name}:${(headerValue(headers, name) ?? '').trim()}\n`)
    .join('');
}

/**
 * The string to sign. The resource is the request target exactly as sent: undecoded, in the client's parameter
 * order, the tag still percent-encoded. Content-MD5 and Content-Type are the received values, or empty lines when
 * absent (Java sends no Content-MD5).
 */
export function stringToSign(method: string, headers: IncomingHttpHeaders, requestTarget: string): string {
  const md5 = headerValue(headers, 'content-md5') ?? '';
  const type = headerValue(headers, 'content-type') ?? '';
  const date = headerValue(headers, 'date') ?? '';
  return `${method}\n${md5}\n${type}\n${date}\n${canonicalizedMqHeaders(headers)}${requestTarget}`;
}

export const sign = (secret: string, toSign: string): string => createHmac('sha1', Buffer.from(secret, 'utf8')).update(toSign, 'utf8').digest('base64');

const sameText = (a: string, b: string): boolean => {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
};

export type AuthRequest = { method: string; target: string; headers: IncomingHttpHeaders; body: Buffer };

/** Carries what the broker computed, so that its log can show a developer why a signature was refused. */
export class SignatureMismatch extends MqError {
  constructor(
    readonly accessKeyId: string,
    readonly stringToSign: string,
  ) {
    super('SignatureDoesNotMatch', 403, 'The request signature we calculated does not match the signature you provided.');
  }
}

function checkDate(headers: IncomingHttpHeaders, now: number): void {
  const date = headerValue(headers, 'date');
  if (!date) throw new MqError('MissingDateHeader', 400, 'The Date header is required.');
  const sent = Date.parse(date);
  if (Number.isNaN(sent)) throw new MqError('InvalidDateHeader', 400, `The Date header "${date}" is not a valid HTTP date.`);
  if (Math.abs(now - sent) > MAX_CLOCK_SKEW_MS) {
    throw new MqError('TimeExpired', 408, 'The http request you sent is expired: its Date is more than 15 minutes away from the server time.');
  }
}

/**
 * The Node and Go SDKs send Base64 of the 32-character lowercase hex digest instead of RFC 1864's Base64 of the 16
 * raw bytes (protocol note 2.3); both forms are accepted.
 */
function checkContentMd5(headers: IncomingHttpHeaders, body: Buffer): void {
  const sent = headerValue(headers, 'content-md5');
  if (sent === undefined) return;
  const digest = createHash('md5').update(body).digest();
  const hexForm = Buffer.from(digest.toString('hex'), 'utf8').toString('base64');
  if (sent !== hexForm && sent !== digest.toString('base64')) {
    throw new MqError('InvalidDigest', 400, 'The Content-MD5 you specified is not valid.');
  }
}

const AUTHORIZATION = /^MQ ([^:\s]+):(\S+)$/;

/** Checks the `Authorization: MQ <AccessKeyId>:<Signature>` header; throws the error the real service answers. */
export function authenticate(request: AuthRequest, accessKeys: Record<string, string>, now: number): void {
  const authorization = headerValue(request.headers, 'authorization');
  if (!authorization) throw new MqError('MissingAuthorizationHeader', 400, 'The Authorization header is required.');
  const match = AUTHORIZATION.exec(authorization);
  if (!match?.[1] || !match[2]) throw new MqError('InvalidAuthorizationHeader', 400, 'The Authorization header must be "MQ <AccessKeyId>:<Signature>".');
  checkDate(request.headers, now);
  const accessKeyId = match[1];
  const secret = Object.hasOwn(accessKeys, accessKeyId) ? accessKeys[accessKeyId] : undefined;
  if (secret === undefined) throw new MqError('InvalidAccessKeyId', 403, `The AccessKeyId ${accessKeyId} does not exist.`);
  const toSign = stringToSign(request.method, request.headers, request.target);
  if (!sameText(sign(secret, toSign), match[2])) throw new SignatureMismatch(accessKeyId, toSign);
  checkContentMd5(request.headers, request.body);
}
