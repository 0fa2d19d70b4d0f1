import { useState } from 'preact/hooks';
import { keyIsAccepted } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { saveKey } from '../session';

/** The admin key is tried against the API before it is kept (in sessionStorage only). */
export function SignIn({ notice, onSignedIn }: { notice: string | undefined; onSignedIn: () => void }) {
  const [key, setKey] = useState('');
  const [refused, setRefused] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setRefused(false);
    setError(undefined);
    try {
      if (await keyIsAccepted(key)) {
        saveKey(key);
        onSignedIn();
      } else {
        setRefused(true);
      }
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      {/* method=post with no action: the key can never end up in the address, even before the script runs. */}
      <form method="post" onSubmit={submit} aria-label="登录">
        <h1>门店运营后台</h1>
        {notice && !refused ? (
          <p class="notice" role="status">
            {notice}
          </p>
        ) : null}
        <label class="field">
          <span>管理密钥</span>
          <input type="password" name="admin-key" autoComplete="off" autoFocus value={key} onInput={(e) => setKey(e.currentTarget.value)} />
        </label>
        {refused ? (
          <p class="error" role="alert">
            管理密钥不正确，请重新输入
          </p>
        ) : null}
        <ErrorBanner error={error} />
        <button type="submit" class="primary" disabled={busy || key === ''}>
          {busy ? '验证中…' : '登录'}
        </button>
      </form>
    </main>
  );
}
