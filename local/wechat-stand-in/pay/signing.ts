import { createCipheriv, createSign, createVerify, randomInt, type KeyObject } from 'node:crypto';

/**
 * The stand-in's side of WeChat Pay's cryptography, written from docs/protocols/wechat-apis.md section 4 independently of
 * shared/adapters/wechat so that one misunderstanding cannot hide in both.
 */

const AUTH_SCHEMA = 'WECHATPAY2-SHA256-RSA2048';
const PAIRS = /^\w+="[^"]*"(,\w+="[^"]*")*$/;
const REQUIRED_PAIRS = ['mchid', 'nonce_str', 'signature', 'timestamp', 'serial_no'] as const;
const WINDOW_SECONDS = 300;

export type Caller = { mchid: string; serialNo: string; publicKey: KeyObject };
export type SignedRequest = { authorization: string | undefined; method: string; rawUrl: string; body: Buffer; nowSeconds: number };
export type AuthorizationVerdict = { ok: true } | { ok: false; message: string; detail?: Record<string, unknown> };

function pairsOf(value: string): Map<string, string> | undefined {
  if (!PAIRS.test(value)) return undefined;
  const pairs = new Map<string, string>();
  for (const [, name, content] of value.matchAll(/(\w+)="([^"]*)"/g)) {
    if (name === undefined || content === undefined || pairs.has(name)) return undefined;
    pairs.set(name, content);
  }
  return pairs;
}

const requestMessage = (request: SignedRequest, timestamp: string, nonce: string) =>
  Buffer.concat([Buffer.from(`${request.method}\n${request.rawUrl}\n${timestamp}\n${nonce}\n`), request.body, Buffer.from('\n')]);

/** Checks our `Authorization` header as WeChat Pay does; the verdict's message becomes the 401 SIGN_ERROR body. */
export function checkAuthorization(request: SignedRequest, caller: Caller): AuthorizationVerdict {
  const { authorization } = request;
  if (!authorization) return { ok: false, message: '缺少Authorization请求头' };
  if (!authorization.startsWith(`${AUTH_SCHEMA} `)) return { ok: false, message: 'Authorization认证类型不正确' };
  const pairs = pairsOf(authorization.slice(AUTH_SCHEMA.length + 1));
  const missing = REQUIRED_PAIRS.filter((name) => !pairs?.get(name));
  if (!pairs || missing.length > 0) return { ok: false, message: `Authorization格式不正确: ${missing.join(',') || 'pairs'}` };
  const timestamp = pairs.get('timestamp') ?? '';
  const nonce = pairs.get('nonce_str') ?? '';
  if (pairs.get('mchid') !== caller.mchid) return { ok: false, message: 'Authorization中的mchid与商户号不匹配' };
  if (pairs.get('serial_no')?.toUpperCase() !== caller.serialNo.toUpperCase()) return { ok: false, message: '商户证书序列号有误' };
  if (!/^\d+$/.test(timestamp) || Math.abs(request.nowSeconds - Number(timestamp)) > WINDOW_SECONDS) {
    return { ok: false, message: 'Http头Authorization中的timestamp与发起请求的时间不得超过5分钟' };
  }
  const message = requestMessage(request, timestamp, nonce);
  const verifier = createVerify('RSA-SHA256').update(message);
  if (!verifier.verify(caller.publicKey, pairs.get('signature') ?? '', 'base64')) {
    return {
      ok: false,
      message: '签名错误',
      detail: { detail: { issue: 'sign not match' }, sign_information: { method: request.method, url: request.rawUrl, sign_message_length: message.length, truncated_sign_message: message.subarray(0, 64).toString('utf8') } },
    };
  }
  return { ok: true };
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const randomAlphanumeric = (length: number) => Array.from({ length }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join('');

/** Base64 RSA-SHA256 over `timestamp\nnonce\nbody\n`, the message WeChat Pay signs on answers and notifications. */
export function signMessage(timestamp: string, nonce: string, body: string, privateKey: KeyObject): string {
  return createSign('RSA-SHA256').update(`${timestamp}\n${nonce}\n${body}\n`).sign(privateKey, 'base64');
}

export type EncryptedResource = { algorithm: 'AEAD_AES_256_GCM'; ciphertext: string; associated_data: string; nonce: string; original_type: string };

/** AEAD_AES_256_GCM with the APIv3 key and a 12-character nonce; the 16-byte tag is appended to the ciphertext. */
export function encryptResource(plaintext: string, apiV3Key: string, originalType: 'transaction' | 'refund'): EncryptedResource {
  const nonce = randomAlphanumeric(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key), Buffer.from(nonce));
  cipher.setAAD(Buffer.from(originalType));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64');
  return { algorithm: 'AEAD_AES_256_GCM', ciphertext, associated_data: originalType, nonce, original_type: originalType };
}

/** Flips one bit of the Base64 ciphertext, in the encrypted data or in its trailing tag. */
export function tamper(ciphertext: string, where: 'data' | 'tag'): string {
  const bytes = Buffer.from(ciphertext, 'base64');
  const index = where === 'tag' ? bytes.length - 1 : 0;
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
  return bytes.toString('base64');
}
