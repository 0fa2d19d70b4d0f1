import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api';
import type { Page } from './types';

export type Paged<T> = { items: T[]; more: boolean; loading: boolean; error: unknown; loadMore: () => void };

/** A list read a page at a time (newest first): the first page when the query changes, the next on loadMore. */
export function usePaged<T>(path: string, query: Record<string, string | undefined>): Paged<T> {
  const queryKey = JSON.stringify(query);
  const [state, setState] = useState<{ items: T[]; cursor: string | null; loading: boolean; error?: unknown }>({ items: [], cursor: null, loading: true });
  const generation = useRef(0);

  const fetchPage = (cursor: string | undefined, replace: boolean) => {
    const ticket = replace ? ++generation.current : generation.current;
    setState((previous) => ({ ...previous, items: replace ? [] : previous.items, loading: true, error: undefined }));
    api<Page<T>>(path, { query: { ...query, cursor } }).then(
      (page) => {
        if (ticket === generation.current) setState((previous) => ({ items: [...previous.items, ...page.items], cursor: page.nextCursor, loading: false }));
      },
      (error: unknown) => {
        if (ticket === generation.current) setState((previous) => ({ ...previous, loading: false, error }));
      },
    );
  };

  useEffect(() => fetchPage(undefined, true), [path, queryKey]);

  return {
    items: state.items,
    more: state.cursor !== null,
    loading: state.loading,
    error: state.error,
    loadMore: () => {
      if (state.cursor) fetchPage(state.cursor, false);
    },
  };
}
