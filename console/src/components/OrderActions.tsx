import { useState } from 'preact/hooks';
import { api } from '../api';
import { statusLabels } from '../format';
import type { Order, OrderDetail } from '../types';
import { ErrorBanner } from './ErrorBanner';

type Props = { order: OrderDetail; onChanged: () => Promise<void> };

/** Confirm, refund (with a reason) and finish: offered by status, and any refusal shown with the order re-read. */
export function OrderActions({ order, onChanged }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ action: string; error: unknown }>();
  const [refunding, setRefunding] = useState(false);
  const [reason, setReason] = useState('');

  const act = async (action: string, path: string, body?: unknown) => {
    setBusy(true);
    setError(undefined);
    try {
      await api<Order>(`/admin/orders/${encodeURIComponent(order.id)}/${path}`, { method: 'POST', body });
      setRefunding(false);
    } catch (failure) {
      setError({ action, error: failure });
    } finally {
      // Whatever happened, show the order as it is now (a 409 usually means someone else moved it).
      await onChanged();
      setBusy(false);
    }
  };

  const refund = (event: SubmitEvent) => {
    event.preventDefault();
    void act('退款失败', 'refund', { reason: reason.trim() });
  };

  return (
    <div class="actions">
      {order.status === 'PAID' ? (
        <button type="button" class="primary" disabled={busy} onClick={() => void act('确认失败', 'confirm')}>
          确认订单
        </button>
      ) : null}
      {order.status === 'CONFIRMED' ? (
        <button type="button" disabled={busy} onClick={() => void act('完成失败', 'finish')}>
          完成订单
        </button>
      ) : null}
      {(order.status === 'PAID' || order.status === 'CONFIRMED') && !refunding ? (
        <button type="button" class="danger" disabled={busy} onClick={() => setRefunding(true)}>
          退款
        </button>
      ) : null}
      {refunding ? (
        <form class="refund-form" onSubmit={refund} noValidate>
          <label>
            退款原因
            <input name="reason" value={reason} maxLength={80} onInput={(event) => setReason(event.currentTarget.value)} />
          </label>
          <button type="submit" class="danger" disabled={busy}>
            确认退款
          </button>
          <button type="button" disabled={busy} onClick={() => setRefunding(false)}>
            取消
          </button>
        </form>
      ) : null}
      {error ? (
        <div class="action-error">
          <ErrorBanner error={error.error} title={error.action} />
          <p class="muted">订单当前状态：{statusLabels[order.status]}</p>
        </div>
      ) : null}
    </div>
  );
}
