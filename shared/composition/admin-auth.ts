import { createHash, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadSecrets } from '../config/secrets';
import { HttpError } from '../lambda/http-errors';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Admin routes: the `X-Admin-Key` header must equal the ADMIN_API_KEY secret (compared in constant time). */
export async function adminAuth(event: APIGatewayProxyEventV2): Promise<{ admin: true }> {
  const given = event.headers?.['x-admin-key'];
  if (!given) throw new HttpError(401, 'UNAUTHORIZED', 'the X-Admin-Key header is required');
  const { ADMIN_API_KEY } = await loadSecrets(['ADMIN_API_KEY']);
  if (!timingSafeEqual(digest(given), digest(ADMIN_API_KEY))) throw new HttpError(401, 'UNAUTHORIZED', 'the admin key is not valid');
  return { admin: true };
}
