import { useEffect, useState } from 'preact/hooks';

/** Hash routes (#/orders/o123?status=PAID): plain static files, no server-side fallback needed on S3. */
export type Route = { path: string[]; query: URLSearchParams };

function current(): Route {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [pathPart = '/', queryPart = ''] = hash.split('?');
  return { path: pathPart.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(queryPart) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const update = () => setRoute(current());
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}

export function href(path: string, query: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
  const search = params.toString();
  return `#${path}${search ? `?${search}` : ''}`;
}

export const navigate = (to: string): void => {
  location.hash = to.replace(/^#/, '');
};
