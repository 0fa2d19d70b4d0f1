import { formatTime, statusLabels } from '../format';
import type { OrderDetail } from '../types';

const noticeLabels: Record<string, string> = {
  SENDING: '发送中',
  SENT: '已发送',
  NOT_SUBSCRIBED: '用户未订阅',
  REJECTED: '微信拒收',
  UNKNOWN: '结果未知',
};

/** Every status the order reached, oldest first, each with the subscribe message sent for it. */
export function Timeline({ order }: { order: OrderDetail }) {
  return (
    <ol class="timeline">
      {order.history.map((entry) => (
        <li key={`${entry.status}-${entry.at}`} data-status={entry.status}>
          <time>{formatTime(entry.at)}</time>
          <strong>{statusLabels[entry.status] ?? entry.status}</strong>
          {order.notices
            .filter((notice) => notice.status === entry.status)
            .map((notice) => (
              <div key={notice.status} class="notice" data-notice={notice.result}>
                订阅消息：{noticeLabels[notice.result] ?? notice.result}
                {notice.sentAt ? `（${formatTime(notice.sentAt)}）` : ''}
              </div>
            ))}
        </li>
      ))}
    </ol>
  );
}
