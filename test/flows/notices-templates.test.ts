import { defaultTemplates } from '../../local/wechat-stand-in/templates';
import { noticeTypes } from '../../shared/domain/notices/notice-types';
import { startApi } from '../support/api';
import { overrideEnv } from '../support/env';

// GET /notices/templates through the local API gateway (the route of serverless.yml, the real handler).
let api: Awaited<ReturnType<typeof startApi>>;

beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

describe('GET /notices/templates', () => {
  it('lists the six notice types with the template ids the stack registered in WeChat, in the order to ask for them', async () => {
    const { status, body } = await api.call('GET', '/notices/templates');

    expect(status).toBe(200);
    expect(body).toEqual({ items: noticeTypes.map((type) => ({ type, templateId: defaultTemplates.find((t) => t.type === type)!.templateId })) });
    expect(body.items.map((item: { templateId: string }) => item.templateId)).toEqual(noticeTypes.map((type) => process.env[`NOTICE_TEMPLATE_${type}`]));
  });

  it('stops the function at cold start, naming the variable, when a template id is not configured', async () => {
    const restore = overrideEnv({ NOTICE_TEMPLATE_PAID: undefined });
    try {
      await jest.isolateModulesAsync(async () => {
        await expect(import('../../functions/get-notice-templates/handler')).rejects.toThrow('NOTICE_TEMPLATE_PAID is required but not set');
      });
    } finally {
      restore();
    }
  });
});
