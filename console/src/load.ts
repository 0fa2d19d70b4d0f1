import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export type Loaded<T> = { data: T | undefined; error: unknown; loading: boolean; reload: () => Promise<void> };

/** Runs `load` when `deps` change (and on reload); the latest answer wins over a slower, older one. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const latest = useRef(0);
  // The caller names what the load depends on, as with useEffect.
  const run = useCallback(load, deps);
  const reload = useCallback(async () => {
    const ticket = ++latest.current;
    setState((previous) => ({ ...previous, loading: true }));
    try {
      const data = await run();
      if (ticket === latest.current) setState({ data, loading: false });
    } catch (error) {
      if (ticket === latest.current) setState((previous) => ({ data: previous.data, error, loading: false }));
    }
  }, [run]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
