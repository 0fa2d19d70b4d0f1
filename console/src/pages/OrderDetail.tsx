import { useEffect } from 'preact/hooks';
import { api } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { OrderActions } from '../components/OrderActions';
import { StatusBadge } from '../components/StatusBadge';
import { Timeline } from '../components/Timeline';
import { formatTime, refundStatusLabels, yuan } from '../format';
import { useLoad } from '../load';
import { href } from '../router';
import type { OrderDetail as Detail } from '../types';

/** A refund completes when WeChat Pay notifies: the page looks again this often while the order is REFUNDING. */
const REFUND_POLL_MS = 2_000;

function Facts({ order }: { order: Detail }) {
  const rows: Array<[string, string]> = [
    ['门店', order.storeId],
    ['用户', order.userId],
    ['商品总额', yuan(order.totalFen)],
    ['优惠', yuan(order.discountFen)],
    ['实付', yuan(order.payableFen)],
    ['优惠券', order.couponId ?? '—'],
    ['下单时间', formatTime(order.createdAt)],
    ['支付期限', formatTime(order.payDeadline)],
    ['支付时间', formatTime(order.paidAt)],
    ['取消时间', formatTime(order.cancelledAt)],
    ['退款时间', formatTime(order.refundedAt)],
  ];
  return (
    <dl class="facts">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Money({ order }: { order: Detail }) {
  return (
    <>
      <h2>商品</h2>
      <table>
        <tbody>
          {order.items.map((item) => (
            <tr key={item.productId}>
              <td>{item.name}</td>
              <td class="num">× {item.quantity}</td>
              <td class="num">{yuan(item.priceFen * item.quantity)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>支付与退款</h2>
      <ul class="plain">
        {order.payments.map((payment) => (
          <li key={payment.transactionId}>
            支付 {yuan(payment.amountFen)}，微信支付单号 {payment.transactionId}，{formatTime(payment.paidAt)}
          </li>
        ))}
        {order.refunds.map((refund) => (
          <li key={refund.outRefundNo} data-refund={refund.status}>
            退款 {yuan(refund.amountFen)}（{refund.outRefundNo}）：{refundStatusLabels[refund.status] ?? refund.status}
          </li>
        ))}
        {order.payments.length + order.refunds.length === 0 ? <li class="muted">无</li> : null}
      </ul>
    </>
  );
}

export function OrderDetail({ orderId }: { orderId: string }) {
  const { data: order, error, reload } = useLoad(() => api<Detail>(`/admin/orders/${encodeURIComponent(orderId)}`), [orderId]);
  const refunding = order?.status === 'REFUNDING';
  useEffect(() => {
    if (!refunding) return;
    const timer = setInterval(() => void reload(), REFUND_POLL_MS);
    return () => clearInterval(timer);
  }, [refunding, reload]);

  return (
    <section>
      <p>
        <a href={href('/orders')}>← 订单列表</a>
      </p>
      <header class="page-head">
        <h1>订单 {orderId}</h1>
        {order ? <StatusBadge status={order.status} /> : null}
      </header>
      <ErrorBanner error={error} />
      {order ? (
        <>
          <OrderActions order={order} onChanged={reload} />
          {refunding ? <p class="muted">退款处理中，页面会自动刷新…</p> : null}
          <div class="columns">
            <div>
              <Facts order={order} />
              <Money order={order} />
            </div>
            <div>
              <h2>状态与通知</h2>
              <Timeline order={order} />
            </div>
          </div>
        </>
      ) : null}
    </section>
  );
}
