import { ErrorBanner } from '../components/ErrorBanner';
import { LoadMore } from '../components/LoadMore';
import { formatTime } from '../format';
import { usePaged } from '../paged';
import { href } from '../router';
import type { Anomaly } from '../types';

const kindLabels: Record<string, string> = {
  AMOUNT_MISMATCH: '金额不符',
  PAYER_MISMATCH: '付款人不符',
  MERCHANT_MISMATCH: '商户号不符',
  DUPLICATE_PAYMENT: '重复支付',
  REFUND_MISMATCH: '退款不符',
  REFUND_REFUSED: '退款被拒',
};

export function Anomalies() {
  const list = usePaged<Anomaly>('/admin/payment-anomalies', {});
  return (
    <section>
      <header class="page-head">
        <h1>支付异常</h1>
      </header>
      <p class="muted">与订单不符的微信支付通知，需人工核对处理。</p>
      <ErrorBanner error={list.error} />
      <table class="anomalies">
        <thead>
          <tr>
            <th>时间</th>
            <th>订单号</th>
            <th>微信支付单号</th>
            <th>类型</th>
            <th>应为</th>
            <th>实际</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((anomaly) => (
            <tr key={anomaly.id} data-anomaly={anomaly.outTradeNo}>
              <td>{formatTime(anomaly.at)}</td>
              <td>
                <a href={href(`/orders/${anomaly.outTradeNo}`)}>{anomaly.outTradeNo}</a>
              </td>
              <td>{anomaly.transactionId ?? '—'}</td>
              <td>{kindLabels[anomaly.kind] ?? anomaly.kind}</td>
              <td>{anomaly.expected}</td>
              <td>{anomaly.received}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <LoadMore list={list} empty="没有支付异常" />
    </section>
  );
}
