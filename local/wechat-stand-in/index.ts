import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { accessTokens } from './access-tokens';
import { createRoutedServer, json, type Route } from './http';
import { loginRoutes } from './login';
import { withDefaults, type StandInContext, type WechatStandInOptions } from './options';
import { wechatPay } from './pay/routes';
import { createScheduler } from './scheduler';
import { subscribeRoutes } from './subscribe';
import type { SubscribeTemplate } from './templates';

export { generateLocalMerchantIdentity, type LocalMerchantIdentity } from './identity';
export { defaultTemplates, type NoticeType, type SubscribeTemplate, type SubscribeValueType } from './templates';
export { NOTIFICATION_FAULTS, type NotificationFault, type NotificationRecord } from './pay/notifier';
export { SIGNATURE_FAULTS, type SignatureFault } from './pay/wechatpay-signer';
export { PAY_FAULTS, PAY_OPERATIONS, type PayFault, type PayOperation } from './pay/faults';
export { DEFAULT_PAY_QUIRKS, type PayQuirks } from './pay/quirks';
export type { WechatStandInOptions } from './options';

/** What a client needs to talk to the stand-in as our backend would (also served at `GET /__sandbox/config`). */
export type WechatStandInConfig = {
  appid: string;
  mchid: string;
  apiV3Key: string;
  wechatpayPublicKeyId: string;
  wechatpayPublicKeyPem: string;
  merchantPublicKeyPem: string;
};

export type WechatStandInStats = {
  /** Calls per operation: `jscode2session`, `token`, `stable_token`, `subscribe_send`, `pay.prepay`, ... */
  requests: Record<string, number>;
  /** `token` plus `stable_token` calls: what a shared access token should keep low. */
  accessTokenFetches: number;
};

export type WechatStandIn = {
  url: string;
  port: number;
  config: WechatStandInConfig;
  templates: readonly SubscribeTemplate[];
  stats(): WechatStandInStats;
  /** Stops the server, pending notification retries and refund completions. */
  close(): Promise<void>;
};

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Starts the local WeChat stand-in: login (jscode2session), access tokens, subscribe messages and WeChat Pay API v3
 * with real RSA-SHA256 signatures and AES-256-GCM notifications, plus the `/__sandbox/*` control routes described in
 * README.md. Its WeChat Pay key pair and `PUB_KEY_ID_...` are generated at every start.
 */
export async function startWechatStandIn(options: WechatStandInOptions): Promise<WechatStandIn> {
  const settings = withDefaults(options);
  const counters: Record<string, number> = {};
  const context: StandInContext = {
    settings,
    now: () => settings.clock.now(),
    log: (entry) => settings.log({ source: 'wechat-stand-in', ...entry }),
    knownOpenids: new Set(),
    count: (operation) => (counters[operation] = (counters[operation] ?? 0) + 1),
  };
  const scheduler = createScheduler();
  const tokens = accessTokens(context);
  const pay = wechatPay(context, scheduler);
  const config: WechatStandInConfig = {
    appid: settings.appid,
    mchid: settings.mchid,
    apiV3Key: settings.apiV3Key,
    wechatpayPublicKeyId: pay.signer.publicKeyId,
    wechatpayPublicKeyPem: pay.signer.publicKeyPem,
    merchantPublicKeyPem: settings.merchantPublicKeyPem,
  };
  const stats = (): WechatStandInStats => ({ requests: { ...counters }, accessTokenFetches: (counters.token ?? 0) + (counters.stable_token ?? 0) });
  const routes: Route[] = [
    ...loginRoutes(context),
    ...tokens.routes,
    ...subscribeRoutes(context, tokens.check),
    ...pay.routes,
    { method: 'GET', path: /^\/__sandbox\/config$/, handle: () => json(200, config) },
    { method: 'GET', path: /^\/__sandbox\/stats$/, handle: () => json(200, stats()) },
  ];
  const server = createRoutedServer(routes, (error) => context.log({ event: 'error', errorMessage: error instanceof Error ? error.message : String(error) }));
  await listen(server, settings.port, settings.host);
  const { port } = server.address() as AddressInfo;
  context.log({ event: 'started', port });

  return {
    url: `http://${settings.host}:${port}`,
    port,
    config,
    templates: settings.templates,
    stats,
    async close() {
      scheduler.close();
      pay.notifier.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
