import * as z from '../../shared/schemas/zod';
import { displayText } from '../../shared/schemas/text';

/** WeChat Pay shows the reason in the shopper's refund message and takes at most 80 bytes of it. */
const refundNote = displayText(80).check(z.refine((text) => Buffer.byteLength(text, 'utf8') <= 80, 'must be at most 80 bytes in UTF-8 (about 26 Chinese characters)'));

export const refundBody = z.optional(z.object({ reason: z.optional(refundNote) }));
export const adminRefundBody = z.object({ reason: refundNote });
