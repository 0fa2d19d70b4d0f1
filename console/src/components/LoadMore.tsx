import type { Paged } from '../paged';

export function LoadMore({ list, empty }: { list: Paged<unknown>; empty: string }) {
  if (list.loading) return <p class="muted">加载中…</p>;
  if (list.items.length === 0 && !list.error) return <p class="muted">{empty}</p>;
  if (!list.more) return null;
  return (
    <button type="button" class="more" onClick={list.loadMore}>
      加载更多
    </button>
  );
}
