import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { fieldErrors } from '../format';
import type { Store } from '../types';
import { ErrorBanner } from './ErrorBanner';
import { Field } from './Field';

type Draft = { id: string; name: string; address: string; lat: string; lng: string; openHours: string; status: Store['status'] };

const draftOf = (store?: Store): Draft => ({
  id: store?.id ?? '',
  name: store?.name ?? '',
  address: store?.address ?? '',
  lat: store ? String(store.location.lat) : '',
  lng: store ? String(store.location.lng) : '',
  openHours: store?.openHours ?? '08:00-22:00',
  status: store?.status ?? 'OPEN',
});

/** A coordinate as typed; anything that is not a number goes as null, and the API says what is wrong with it. */
const coordinate = (text: string) => (text.trim() === '' || Number.isNaN(Number(text)) ? null : Number(text));

/** The whole store, sent as PUT /admin/stores/{id}; the API validates, and its messages show beside each field. */
export function StoreForm({ store, onSaved }: { store?: Store; onSaved: (store: Store) => void }) {
  const [draft, setDraft] = useState(() => draftOf(store));
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const problems = fieldErrors(error);
  const bind = (name: keyof Draft) => ({
    name,
    value: draft[name],
    onInput: (event: Event) => setDraft({ ...draft, [name]: (event.currentTarget as HTMLInputElement).value }),
  });

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setSaved(false);
    const id = draft.id.trim();
    try {
      // An empty id would name no route at all (404): say so here, in the API's own words.
      if (!id) throw new ApiError(400, 'VALIDATION_FAILED', 'storeId: must be 1-64 characters of 0-9, A-Z, a-z, _ and -');
      const body = { name: draft.name, address: draft.address, location: { lat: coordinate(draft.lat), lng: coordinate(draft.lng) }, openHours: draft.openHours, status: draft.status };
      const answer = await api<Store>(`/admin/stores/${encodeURIComponent(id)}`, { method: 'PUT', body });
      setSaved(true);
      onSaved(answer);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="editor" onSubmit={save} noValidate aria-label="门店信息">
      {store ? null : (
        <Field label="门店编号" error={problems.storeId}>
          <input {...bind('id')} placeholder="store-004" />
        </Field>
      )}
      <Field label="名称" error={problems.name}>
        <input {...bind('name')} />
      </Field>
      <Field label="地址" error={problems.address}>
        <input {...bind('address')} />
      </Field>
      <Field label="纬度" error={problems['location.lat']}>
        <input {...bind('lat')} inputMode="decimal" />
      </Field>
      <Field label="经度" error={problems['location.lng']}>
        <input {...bind('lng')} inputMode="decimal" />
      </Field>
      <Field label="营业时间" error={problems.openHours}>
        <input {...bind('openHours')} placeholder="08:00-22:00" />
      </Field>
      <Field label="状态" error={problems.status}>
        <select {...bind('status')}>
          <option value="OPEN">营业中</option>
          <option value="CLOSED">已关闭</option>
        </select>
      </Field>
      <ErrorBanner error={error} title="保存失败" />
      {saved ? (
        <p class="ok" role="status">
          已保存
        </p>
      ) : null}
      <button type="submit" class="primary" disabled={busy}>
        保存门店
      </button>
    </form>
  );
}
