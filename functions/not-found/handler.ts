// $default route of the HTTP API: any method and path no other function serves.
import { httpHandler } from '../../shared/lambda/http-handler';
import { HttpError } from '../../shared/lambda/http-errors';

export const handler = httpHandler({}, async ({ event }) => {
  throw new HttpError(404, 'NOT_FOUND', `no route for ${event.requestContext.http.method} ${event.rawPath}`);
});
