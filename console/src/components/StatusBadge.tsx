import { statusLabels } from '../format';
import type { OrderStatus } from '../types';

export function StatusBadge({ status }: { status: OrderStatus }) {
  return (
    <span class={`badge status-${status}`} data-status={status}>
      {statusLabels[status] ?? status}
    </span>
  );
}
