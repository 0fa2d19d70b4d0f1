import { api } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { useLoad } from '../load';
import { href } from '../router';
import type { Store } from '../types';

export function Stores() {
  const { data, error } = useLoad(() => api<{ items: Store[] }>('/admin/stores'), []);
  return (
    <section>
      <header class="page-head">
        <h1>门店</h1>
        <a class="button" href={href('/stores/new')}>
          新建门店
        </a>
      </header>
      <ErrorBanner error={error} />
      <table>
        <thead>
          <tr>
            <th>编号</th>
            <th>名称</th>
            <th>地址</th>
            <th>营业时间</th>
            <th>状态</th>
          </tr>
        </thead>
        <tbody>
          {data?.items.map((store) => (
            <tr key={store.id} data-store={store.id}>
              <td>
                <a href={href(`/stores/${store.id}`)}>{store.id}</a>
              </td>
              <td>{store.name}</td>
              <td>{store.address}</td>
              <td>{store.openHours}</td>
              <td>{store.status === 'OPEN' ? '营业中' : '已关闭'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
