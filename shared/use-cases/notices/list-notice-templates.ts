import { noticeTypes, type NoticeType } from '../../domain/notices/notice-types';

export type NoticeTemplateItem = { type: NoticeType; templateId: string };

/**
 * The subscribe-message templates of the order notices, for the mini-program's `wx.requestSubscribeMessage`: the
 * user must accept a template before WeChat lets us send one message of it.
 */
export function listNoticeTemplates(deps: { templates: Readonly<Record<NoticeType, string>> }): NoticeTemplateItem[] {
  return noticeTypes.map((type) => ({ type, templateId: deps.templates[type] }));
}
