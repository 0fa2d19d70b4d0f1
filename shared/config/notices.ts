import * as z from '../schemas/zod';
import { configSection } from './env';

/** WeChat template ids are opaque tokens (43 characters of base64url in practice). */
const templateId = z.string().check(z.regex(/^[\w-]{1,64}$/, 'must be a subscribe-message template id from the MP console'));

/** WeChat refuses a page with a leading `/` or whitespace (41030); the order id is appended as a query. */
const orderPage = z.string().check(z.regex(/^[\w-]+(\/[\w-]+)*$/, 'must be a mini-program page path such as pages/order/detail (no leading /, no query)'));

export const noticeConfig = configSection('Notices', {
  NOTICE_TEMPLATE_WAIT_PAY: templateId,
  NOTICE_TEMPLATE_PAID: templateId,
  NOTICE_TEMPLATE_CONFIRMED: templateId,
  NOTICE_TEMPLATE_FINISHED: templateId,
  NOTICE_TEMPLATE_CANCELLED: templateId,
  NOTICE_TEMPLATE_REFUNDED: templateId,
  NOTICE_ORDER_PAGE: z._default(orderPage, 'pages/order/detail'),
  /** Which release of the mini-program a tap on a notice opens: `developer` and `trial` builds for test stages. */
  NOTICE_MINIPROGRAM_STATE: z._default(z.enum(['developer', 'trial', 'formal']), 'formal'),
});

/** The template id configured for each notice type. */
export function noticeTemplateIds() {
  const config = noticeConfig();
  return {
    WAIT_PAY: config.NOTICE_TEMPLATE_WAIT_PAY,
    PAID: config.NOTICE_TEMPLATE_PAID,
    CONFIRMED: config.NOTICE_TEMPLATE_CONFIRMED,
    FINISHED: config.NOTICE_TEMPLATE_FINISHED,
    CANCELLED: config.NOTICE_TEMPLATE_CANCELLED,
    REFUNDED: config.NOTICE_TEMPLATE_REFUNDED,
  };
}
