import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { describeError, fenFromYuan, fieldErrors } from '../format';
import type { Product } from '../types';

type Props = { storeId: string; product?: Product; onSaved: (product: Product) => void };

/** One product as an editable row (or the empty row that adds one): PUT /admin/stores/{storeId}/products/{id}. */
export function ProductRow({ storeId, product, onSaved }: Props) {
  const [id, setId] = useState(product?.id ?? '');
  const [name, setName] = useState(product?.name ?? '');
  const [price, setPrice] = useState(product ? (product.priceFen / 100).toFixed(2) : '');
  const [stock, setStock] = useState(product ? String(product.stock) : '');
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const problems = fieldErrors(error);

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(undefined);
    setSaved(false);
    const priceFen = fenFromYuan(price);
    try {
      // Prices are typed in yuan; the API takes fen, so the conversion is checked here before anything is sent.
      if (priceFen === undefined) throw new ApiError(400, 'VALIDATION_FAILED', 'priceFen: 价格请填写元，最多两位小数');
      if (!id.trim()) throw new ApiError(400, 'VALIDATION_FAILED', 'productId: must be 1-64 characters of 0-9, A-Z, a-z, _ and -');
      const body = { name, priceFen, stock: stock.trim() === '' ? null : Number(stock) };
      const answer = await api<Product>(`/admin/stores/${encodeURIComponent(storeId)}/products/${encodeURIComponent(id.trim())}`, { method: 'PUT', body });
      setSaved(true);
      onSaved(answer);
      // The new row empties for the next product; an edited one shows what was stored (12.5 -> 12.50).
      if (product) setPrice((answer.priceFen / 100).toFixed(2));
      else [setId, setName, setPrice, setStock].forEach((set) => set(''));
    } catch (failure) {
      setError(failure);
    }
  };

  const formId = `product-${product?.id ?? 'new'}`;
  return (
    <tr data-product={product?.id ?? 'new'} class={error ? 'invalid' : undefined}>
      <td>{product ? product.id : <input form={formId} value={id} placeholder="编号" aria-label="商品编号" onInput={(e) => setId(e.currentTarget.value)} />}</td>
      <td>
        <input form={formId} value={name} aria-label="商品名称" onInput={(e) => setName(e.currentTarget.value)} />
        {problems.name ? <small class="field-error">{problems.name}</small> : null}
      </td>
      <td>
        <input form={formId} value={price} inputMode="decimal" aria-label="价格（元）" onInput={(e) => setPrice(e.currentTarget.value)} />
        {problems.priceFen ? <small class="field-error">{problems.priceFen}</small> : null}
      </td>
      <td>
        <input form={formId} value={stock} inputMode="numeric" aria-label="库存" onInput={(e) => setStock(e.currentTarget.value)} />
        {problems.stock ? <small class="field-error">{problems.stock}</small> : null}
      </td>
      <td>
        <form id={formId} onSubmit={save} noValidate>
          <button type="submit">{product ? '保存' : '添加'}</button>
        </form>
        {saved ? <small class="ok">已保存</small> : null}
        {error && Object.keys(problems).length === 0 ? (
          <small class="field-error" role="alert">
            {describeError(error)}
          </small>
        ) : null}
      </td>
    </tr>
  );
}
