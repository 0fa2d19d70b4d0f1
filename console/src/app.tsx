import { useEffect, useState } from 'preact/hooks';
import { Anomalies } from './pages/Anomalies';
import { Dashboard } from './pages/Dashboard';
import { OrderDetail } from './pages/OrderDetail';
import { Orders } from './pages/Orders';
import { SignIn } from './pages/SignIn';
import { StoreEditor } from './pages/StoreEditor';
import { Stores } from './pages/Stores';
import { href, useRoute, type Route } from './router';
import { forgetKey, onSignedOut, readKey } from './session';

const sections = [
  { path: '', label: '概览' },
  { path: 'orders', label: '订单' },
  { path: 'stores', label: '门店与商品' },
  { path: 'anomalies', label: '支付异常' },
];

function Page({ route }: { route: Route }) {
  const [section = '', id] = route.path;
  if (section === 'orders') return id ? <OrderDetail key={id} orderId={id} /> : <Orders query={route.query} />;
  if (section === 'stores') return id ? <StoreEditor key={id} storeId={id} /> : <Stores />;
  if (section === 'anomalies') return <Anomalies />;
  return <Dashboard />;
}

export function App() {
  const route = useRoute();
  const [signedIn, setSignedIn] = useState(() => readKey() !== null);
  const [notice, setNotice] = useState<string>();
  useEffect(
    () =>
      onSignedOut((reason) => {
        setNotice(reason);
        setSignedIn(false);
      }),
    [],
  );

  if (!signedIn) return <SignIn notice={notice} onSignedIn={() => setSignedIn(true)} />;
  const section = route.path[0] ?? '';
  return (
    <div class="shell">
      <nav>
        <strong>门店运营后台</strong>
        {sections.map((s) => (
          <a key={s.path} href={href(`/${s.path}`)} class={s.path === section ? 'active' : undefined}>
            {s.label}
          </a>
        ))}
        <button
          type="button"
          class="link"
          onClick={() => {
            forgetKey();
            setNotice('已退出');
            setSignedIn(false);
          }}
        >
          退出
        </button>
      </nav>
      <main>
        <Page route={route} />
      </main>
    </div>
  );
}
