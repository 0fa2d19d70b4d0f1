// GET /notices/templates (API Gateway HTTP API, payload v2): the order notices' template ids, which the mini-program
// passes to wx.requestSubscribeMessage. Public, as the contract has it: the ids are configuration, not secrets.
import { httpHandler } from '../../shared/lambda/http-handler';
import { noticeTemplateIds } from '../../shared/config/notices';
import { listNoticeTemplates } from '../../shared/use-cases/notices/list-notice-templates';

const deps = { templates: noticeTemplateIds() };

export const handler = httpHandler({}, async () => ({ statusCode: 200, body: { items: listNoticeTemplates(deps) } }));
