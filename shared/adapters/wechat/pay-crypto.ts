import { createDecipheriv, randomInt, sign, verify, type KeyObject } from 'node:crypto';

const NONCE_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A random `[0-9A-Za-z]` string from the CSPRNG, 32 characters as WeChat Pay's own SDKs use. */
export function randomNonce(length = 32): string {
  let nonce = '';
  for (let i = 0; i < length; i += 1) nonce += NONCE_ALPHABET[randomInt(NONCE_ALPHABET.length)];
  return nonce;
}

/** WeChat Pay's signed messages are lines, each ending in `\n`, the last one included. */
function joinLines(lines: readonly (string | Buffer)[]): Buffer {
  return Buffer.concat(lines.flatMap((line) => [Buffer.isBuffer(line) ? line : Buffer.from(line, 'utf8'), Buffer.from('\n')]));
}

/** Base64 RSA-SHA256 (PKCS#1 v1.5) over the lines. */
export function signLines(lines: readonly (string | Buffer)[], privateKey: KeyObject): string {
  return sign('sha256', joinLines(lines), privateKey).toString('base64');
}

/** Verifies a Base64 RSA-SHA256 signature over the lines; anything malformed simply fails. */
export function verifyLines(lines: readonly (string | Buffer)[], signature: string, publicKey: KeyObject): boolean {
  try {
    return verify('sha256', joinLines(lines), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

export type EncryptedResource = { ciphertext: string; nonce: string; associatedData: string };

const GCM_TAG_BYTES = 16;

/**
 * AEAD_AES_256_GCM as WeChat Pay uses it: the Base64 ciphertext ends with the 16-byte tag. Throws when the tag does
 * not authenticate the ciphertext and associated data (`final()` is what checks it).
 */
export function decryptResource({ ciphertext, nonce, associatedData }: EncryptedResource, apiV3Key: Buffer): string {
  const bytes = Buffer.from(ciphertext, 'base64');
  if (bytes.length <= GCM_TAG_BYTES) throw new Error('ciphertext shorter than its tag');
  const decipher = createDecipheriv('aes-256-gcm', apiV3Key, Buffer.from(nonce, 'utf8'), { authTagLength: GCM_TAG_BYTES });
  decipher.setAuthTag(bytes.subarray(bytes.length - GCM_TAG_BYTES));
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - GCM_TAG_BYTES)), decipher.final()]).toString('utf8');
}
