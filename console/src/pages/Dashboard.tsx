import { api } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { HourlyChart } from '../components/HourlyChart';
import { yuan } from '../format';
import { useLoad } from '../load';
import { href } from '../router';
import type { Anomaly, HourBucket, Order, Page } from '../types';

const HOUR_MS = 3_600_000;
/** The lists behind the counts are read one page of the largest size: more than that shows as "100+". */
const COUNT_PAGE = 100;

/** The last 24 hours, the current one included: from the start of the hour 23 hours ago to the end of this one. */
function last24Hours(now = Date.now()): { from: string; to: string } {
  const thisHour = now - (now % HOUR_MS);
  return { from: new Date(thisHour - 23 * HOUR_MS).toISOString(), to: new Date(thisHour + HOUR_MS).toISOString() };
}

const countOf = (page: Page<unknown>, items = page.items.length) => `${items}${page.nextCursor ? '+' : ''}`;
const failedRefund = (order: Order) => order.refunds.some((refund) => refund.status === 'CLOSED' || refund.status === 'ABNORMAL');

async function loadDashboard() {
  const [stats, paid, refunding, anomalies] = await Promise.all([
    api<{ buckets: HourBucket[] }>('/admin/stats', { query: last24Hours() }),
    api<Page<Order>>('/admin/orders', { query: { status: 'PAID', limit: COUNT_PAGE } }),
    api<Page<Order>>('/admin/orders', { query: { status: 'REFUNDING', limit: COUNT_PAGE } }),
    api<Page<Anomaly>>('/admin/payment-anomalies', { query: { limit: COUNT_PAGE } }),
  ]);
  const failed = refunding.items.filter(failedRefund).length;
  return {
    buckets: stats.buckets,
    counts: [
      { id: 'paid-unconfirmed', label: '已支付待确认', value: countOf(paid), link: href('/orders', { status: 'PAID' }) },
      { id: 'refunding', label: '退款中', value: countOf(refunding, refunding.items.length - failed), link: href('/orders', { status: 'REFUNDING' }) },
      { id: 'refund-failed', label: '退款失败', value: countOf(refunding, failed), link: href('/orders', { status: 'REFUNDING' }) },
      { id: 'anomalies', label: '支付异常', value: countOf(anomalies), link: href('/anomalies') },
    ],
  };
}

export function Dashboard() {
  const { data, error, loading, reload } = useLoad(loadDashboard, []);
  const revenue = data?.buckets.reduce((sum, bucket) => sum + bucket.revenueFen, 0) ?? 0;
  return (
    <section>
      <header class="page-head">
        <h1>概览</h1>
        <button type="button" onClick={() => void reload()} disabled={loading}>
          {loading ? '加载中…' : '刷新'}
        </button>
      </header>
      <ErrorBanner error={error} />
      {data ? (
        <>
          <ul class="counts">
            {data.counts.map((count) => (
              <li key={count.id} data-count={count.id}>
                <a href={count.link}>
                  <strong>{count.value}</strong>
                  <span>{count.label}</span>
                </a>
              </li>
            ))}
          </ul>
          <h2>
            最近24小时 <small>营业额 {yuan(revenue)}</small>
          </h2>
          <HourlyChart buckets={data.buckets} />
        </>
      ) : null}
    </section>
  );
}
