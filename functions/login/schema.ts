import * as z from 'zod';

/** The code from `wx.login()`: opaque, short-lived, single-use. */
export const loginBody = z.object({ code: z.string().trim().min(1).max(128) });
