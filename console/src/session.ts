// The admin key lives in sessionStorage only: gone when the tab closes, never in a URL, a cookie or localStorage.
const STORAGE_KEY = 'wx-shop.admin-key';

export const readKey = (): string | null => sessionStorage.getItem(STORAGE_KEY);
export const saveKey = (key: string): void => sessionStorage.setItem(STORAGE_KEY, key);
export const forgetKey = (): void => sessionStorage.removeItem(STORAGE_KEY);

type Listener = (reason: string) => void;
const listeners = new Set<Listener>();

/** Called by the app shell: the page to show when the key is refused. */
export function onSignedOut(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Drops the key and sends the operator back to sign-in, saying why. */
export function signOut(reason: string): void {
  forgetKey();
  for (const listener of listeners) listener(reason);
}
