import { useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { LoadMore } from '../components/LoadMore';
import { StatusBadge } from '../components/StatusBadge';
import { chinaDayBound, formatTime, statusLabels, yuan } from '../format';
import { useLoad } from '../load';
import { usePaged } from '../paged';
import { href, navigate } from '../router';
import { orderStatuses, type Order, type Store } from '../types';

type Filter = { status: string; storeId: string; from: string; to: string };

const filterOf = (query: URLSearchParams): Filter => ({
  status: query.get('status') ?? '',
  storeId: query.get('storeId') ?? '',
  from: query.get('from') ?? '',
  to: query.get('to') ?? '',
});

/** The filter lives in the page's address (#/orders?status=PAID), so that a filtered list can be linked to. */
function FilterForm({ initial, stores }: { initial: Filter; stores: Store[] }) {
  const [filter, setFilter] = useState(initial);
  const field = (name: keyof Filter) => ({
    name,
    value: filter[name],
    onInput: (event: Event) => setFilter({ ...filter, [name]: (event.currentTarget as HTMLInputElement | HTMLSelectElement).value }),
  });
  const apply = (event: SubmitEvent) => {
    event.preventDefault();
    navigate(href('/orders', { status: filter.status, storeId: filter.storeId, from: filter.from, to: filter.to }));
  };
  return (
    <form class="filters" onSubmit={apply} aria-label="筛选订单">
      <label>
        状态
        <select {...field('status')}>
          <option value="">全部</option>
          {orderStatuses.map((status) => (
            <option key={status} value={status}>
              {statusLabels[status]}
            </option>
          ))}
        </select>
      </label>
      <label>
        门店
        <select {...field('storeId')}>
          <option value="">全部</option>
          {stores.map((store) => (
            <option key={store.id} value={store.id}>
              {store.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        下单日期从
        <input type="date" {...field('from')} />
      </label>
      <label>
        到
        <input type="date" {...field('to')} />
      </label>
      <button type="submit">筛选</button>
    </form>
  );
}

export function Orders({ query }: { query: URLSearchParams }) {
  const filter = filterOf(query);
  const stores = useLoad(() => api<{ items: Store[] }>('/admin/stores'), []);
  const list = usePaged<Order>('/admin/orders', {
    status: filter.status || undefined,
    storeId: filter.storeId || undefined,
    from: chinaDayBound(filter.from, false),
    to: chinaDayBound(filter.to, true),
  });
  const storeName = (id: string) => stores.data?.items.find((store) => store.id === id)?.name ?? id;
  return (
    <section>
      <header class="page-head">
        <h1>订单</h1>
      </header>
      <FilterForm key={query.toString()} initial={filter} stores={stores.data?.items ?? []} />
      <ErrorBanner error={list.error} />
      <table class="orders">
        <thead>
          <tr>
            <th>订单号</th>
            <th>门店</th>
            <th>状态</th>
            <th class="num">实付</th>
            <th>下单时间</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((order) => (
            <tr key={order.id} data-order={order.id}>
              <td>
                <a href={href(`/orders/${order.id}`)}>{order.id}</a>
              </td>
              <td>{storeName(order.storeId)}</td>
              <td>
                <StatusBadge status={order.status} />
              </td>
              <td class="num">{yuan(order.payableFen)}</td>
              <td>{formatTime(order.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <LoadMore list={list} empty="没有符合条件的订单" />
    </section>
  );
}
