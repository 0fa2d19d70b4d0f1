import { randomInt } from 'node:crypto';
import type { TokenCheck } from './access-tokens';
import { json, jsonBody, type Route, type StandInRequest } from './http';
import type { StandInContext } from './options';
import { firstInvalidKey } from './subscribe-rules';

type DeliveredMessage = { templateId: string; page?: string; data: unknown; miniprogramState: string; lang: string; sentAt: string };

const MINIPROGRAM_STATES = ['developer', 'trial', 'formal'];
const LANGS = ['zh_CN', 'en_US', 'zh_HK', 'zh_TW'];

const reply = (errcode: number, errmsg: string, extra: Record<string, unknown> = {}) => json(200, { errcode, errmsg, ...extra });

/**
 * `POST /cgi-bin/message/subscribe/send` with one-time subscriptions: accepting `count` messages of a template allows
 * `count` sends, then 43101. Values are checked against each template key's type (47003 names the field).
 */
export function subscribeRoutes(context: StandInContext, checkToken: TokenCheck): Route[] {
  const templates = new Map(context.settings.templates.map((template) => [template.templateId, template]));
  const remaining = new Map<string, number>();
  const delivered = new Map<string, DeliveredMessage[]>();
  const slot = (openid: string, templateId: string) => `${openid}\u0000${templateId}`;

  function accept(request: StandInRequest) {
    const { openid, templateId, count } = jsonBody(request) ?? {};
    if (typeof openid !== 'string' || !openid) return json(400, { code: 'VALIDATION_FAILED', message: 'openid is required' });
    if (!Number.isInteger(count) || (count as number) < 1) return json(400, { code: 'VALIDATION_FAILED', message: 'count must be a positive integer' });
    const ids = templateId === '*' ? [...templates.keys()] : [templateId];
    if (!ids.every((id): id is string => typeof id === 'string' && templates.has(id))) return json(400, { code: 'VALIDATION_FAILED', message: 'templateId is not a configured template' });
    context.knownOpenids.add(openid);
    for (const id of ids) remaining.set(slot(openid, id), (remaining.get(slot(openid, id)) ?? 0) + (count as number));
    return json(200, { items: ids.map((id) => ({ templateId: id, remaining: remaining.get(slot(openid, id)) })) });
  }

  function send(request: StandInRequest) {
    context.count('subscribe_send');
    const tokenErrcode = checkToken(request.url.searchParams.get('access_token'));
    if (tokenErrcode !== 0) return reply(tokenErrcode, tokenErrcode === 42001 ? 'access_token expired' : 'invalid credential, access_token is invalid or not latest');
    const body = jsonBody(request);
    if (!body) return reply(47001, 'data format error');
    const { touser, template_id: templateId, page, data, miniprogram_state: state = 'formal', lang = 'zh_CN' } = body;
    if (typeof touser !== 'string' || !context.knownOpenids.has(touser)) return reply(40003, 'invalid openid');
    const template = typeof templateId === 'string' ? templates.get(templateId) : undefined;
    if (!template) return reply(40037, 'invalid template_id');
    if (page !== undefined && (typeof page !== 'string' || page.startsWith('/') || /\s/.test(page))) return reply(41030, 'invalid page');
    if (typeof state !== 'string' || !MINIPROGRAM_STATES.includes(state)) return reply(47003, 'argument invalid! miniprogram_state invalid');
    if (typeof lang !== 'string' || !LANGS.includes(lang)) return reply(47003, 'argument invalid! lang invalid');
    const invalidKey = firstInvalidKey(template.keys, data);
    if (invalidKey) return reply(47003, `argument invalid! data.${invalidKey}.value invalid`);
    const left = remaining.get(slot(touser, template.templateId)) ?? 0;
    if (left < 1) return reply(43101, 'user refuse to accept the msg');
    remaining.set(slot(touser, template.templateId), left - 1);
    const message = { templateId: template.templateId, ...(typeof page === 'string' ? { page } : {}), data, miniprogramState: state, lang, sentAt: context.now().toISOString() };
    delivered.set(touser, [...(delivered.get(touser) ?? []), message]);
    context.log({ event: 'subscribe.sent', templateId: template.templateId });
    return reply(0, 'ok', { msgid: randomInt(2 ** 40, 2 ** 47) });
  }

  return [
    { method: 'GET', path: /^\/__sandbox\/templates$/, handle: () => json(200, { items: context.settings.templates }) },
    { method: 'POST', path: /^\/__sandbox\/subscriptions$/, handle: accept },
    { method: 'GET', path: /^\/__sandbox\/subscribe-messages$/, handle: (request) => json(200, { items: delivered.get(request.url.searchParams.get('touser') ?? '') ?? [] }) },
    { method: 'POST', path: /^\/cgi-bin\/message\/subscribe\/send$/, handle: send },
  ];
}
