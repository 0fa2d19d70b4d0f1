import * as z from '../../shared/schemas/zod';

/** The code from `wx.login()`: opaque, short-lived, single-use. */
export const loginBody = z.object({ code: z.string().check(z.trim(), z.minLength(1), z.maxLength(128)) });
