import { useState } from 'preact/hooks';
import { api, publicApi } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { ProductRow } from '../components/ProductRow';
import { StoreForm } from '../components/StoreForm';
import { useLoad } from '../load';
import { href, navigate } from '../router';
import type { Product, Store } from '../types';

function Products({ storeId }: { storeId: string }) {
  // The admin API has no product list: the shoppers' route serves every store's products, closed ones included.
  const { data, error } = useLoad(() => publicApi<{ items: Product[] }>(`/stores/${encodeURIComponent(storeId)}/products`), [storeId]);
  const [edited, setEdited] = useState<Record<string, Product>>({});
  const products = [...(data?.items ?? []).map((product) => edited[product.id] ?? product), ...Object.values(edited).filter((p) => !data?.items.some((q) => q.id === p.id))];
  const saved = (product: Product) => setEdited((previous) => ({ ...previous, [product.id]: product }));
  return (
    <>
      <h2>商品</h2>
      <ErrorBanner error={error} />
      <table class="products">
        <thead>
          <tr>
            <th>编号</th>
            <th>名称</th>
            <th>价格（元）</th>
            <th>库存</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {products.map((product) => (
            <ProductRow key={product.id} storeId={storeId} product={product} onSaved={saved} />
          ))}
          <ProductRow key="new" storeId={storeId} onSaved={saved} />
        </tbody>
      </table>
    </>
  );
}

export function StoreEditor({ storeId }: { storeId: string }) {
  const creating = storeId === 'new';
  // Read from the admin list (DynamoDB, closed stores included): an operator sees their own edit at once.
  const { data, error, loading } = useLoad(async () => (creating ? undefined : (await api<{ items: Store[] }>('/admin/stores')).items.find((s) => s.id === storeId)), [storeId]);
  return (
    <section>
      <p>
        <a href={href('/stores')}>← 门店列表</a>
      </p>
      <header class="page-head">
        <h1>{creating ? '新建门店' : `门店 ${storeId}`}</h1>
      </header>
      <ErrorBanner error={error} />
      {!creating && !data && !error ? <p class="muted">{loading ? '加载中…' : '没有这个门店'}</p> : null}
      {creating || data ? <StoreForm key={storeId} store={data} onSaved={(store) => creating && navigate(href(`/stores/${store.id}`))} /> : null}
      {data ? <Products storeId={storeId} /> : null}
    </section>
  );
}
