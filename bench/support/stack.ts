import { localDefaults } from '../../local/stack';
import { startBacking, type Backing } from '../../local/services/backing';
import type { Gateway } from '../../local/gateway/server';
import { closeProxies, startProxies, type Proxies } from './dependencies';

export type BenchStack = { backing: Backing; proxies: Proxies; gateway: Gateway };

/**
 * The flow benchmarks' stack: the local services (quiet), counting proxies in front of each dependency, and the local
 * API gateway in this process, with WeChat Pay's callbacks pointed at it (the payment functions read them at their
 * first call); all stopped afterwards, whatever `run` does.
 */
export async function withBenchStack(env: Record<string, string>, run: (stack: BenchStack) => Promise<void>): Promise<void> {
  Object.assign(process.env, localDefaults, env);
  const backing = await startBacking({ quiet: true });
  let proxies: Proxies | undefined;
  try {
    Object.assign(process.env, backing.env);
    proxies = await startProxies(backing.env);
    const { startGateway } = await import('../../local/gateway/server');
    const gateway = await startGateway(0);
    try {
      Object.assign(process.env, { WXPAY_NOTIFY_URL: `${gateway.url}/wxpay/notify`, WXPAY_REFUND_NOTIFY_URL: `${gateway.url}/wxpay/refund-notify` });
      await run({ backing, proxies, gateway });
    } finally {
      await gateway.close();
    }
  } finally {
    await closeProxies(proxies);
    await backing.stop();
  }
}
