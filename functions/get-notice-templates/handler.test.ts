import { invokeHttp, sampleEvent } from '../../shared/testing/lambda';
import { handler } from './handler';

describe('getNoticeTemplates handler', () => {
  it('answers 200 with a template id per notice type for events/get-notice-templates/ok.json', async () => {
    const { statusCode, body } = await invokeHttp(handler, sampleEvent('get-notice-templates/ok.json'));

    expect(statusCode).toBe(200);
    expect(body.items.map((item: { type: string }) => item.type)).toEqual(['WAIT_PAY', 'PAID', 'CONFIRMED', 'FINISHED', 'CANCELLED', 'REFUNDED']);
    expect(body.items.find((item: { type: string }) => item.type === 'REFUNDED').templateId).toBe(process.env.NOTICE_TEMPLATE_REFUNDED);
  });
});
