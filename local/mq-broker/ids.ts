import { randomUUID } from 'node:crypto';

// randomUUID draws from a cached entropy pool; randomBytes would make a system call for every id.
const randomHex = (): string => randomUUID().replace(/-/g, '');

/** Real request ids are 24 uppercase hex characters (protocol note 3). */
export const newRequestId = (): string => randomHex().slice(8).toUpperCase();

/** Real message ids are 32 uppercase hex characters (protocol note 8.2). */
export const newMessageId = (): string => randomHex().toUpperCase();

const HANDLE = /^([0-9A-F]{32})-([A-Za-z0-9+/]+={0,2})$/;
const HANDLE_PAYLOAD = /^[0-9a-f]{1,13}:[0-9a-f]{12}$/;

/**
 * A receipt handle looks like the real ones, `<MessageId>-<base64>` (protocol note 8.2). The base64 part holds the
 * issue time and a nonce, so every delivery gets a different handle and a garbage string can be told apart from an
 * expired handle (`ReceiptHandleError` versus `MessageNotExist`).
 */
export function newReceiptHandle(messageId: string, now: number): string {
  const payload = `${now.toString(16)}:${randomHex().slice(20)}`;
  return `${messageId}-${Buffer.from(payload, 'utf8').toString('base64')}`;
}

/** The message id a well-formed handle refers to, or undefined for a malformed one. */
export function messageIdOfHandle(handle: string): string | undefined {
  const match = HANDLE.exec(handle);
  if (!match?.[1] || !match[2]) return undefined;
  return HANDLE_PAYLOAD.test(Buffer.from(match[2], 'base64').toString('utf8')) ? match[1] : undefined;
}
