import * as z from '../schemas/zod';
import { configSection, envPositiveInt } from './env';

export const sessionConfig = configSection('Sessions', {
  /** How long a session token from POST /auth/login stays valid. */
  SESSION_TTL_SECONDS: z._default(envPositiveInt, 7 * 24 * 3600),
});
