import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { IdSource } from '../../ports/ids';

/** Ids and tokens from the operating system's CSPRNG, digests from node:crypto. */
export const cryptoIds: IdSource = {
  randomId: () => randomUUID().replace(/-/g, ''),
  randomToken: () => randomBytes(32).toString('base64url'),
  digest: (text) => createHash('sha256').update(text).digest('hex'),
};
