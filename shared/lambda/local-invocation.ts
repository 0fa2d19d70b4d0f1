/**
 * `serverless invoke local` waits for Node's event loop to empty before it exits, where Lambda simply freezes the
 * container. A client that keeps a connection open (ioredis) would make a local invocation hang after printing its
 * result, so under `invoke local` (IS_LOCAL without serverless-offline's IS_OFFLINE) clients register a hook that
 * closes them when the invocation ends. On Lambda and in the local stack nothing registers and nothing closes.
 */
const hooks: Array<() => void> = [];

export const isServerlessInvokeLocal = () => process.env.IS_LOCAL === 'true' && !process.env.IS_OFFLINE;

export function onLocalInvocationEnd(hook: () => void): void {
  if (isServerlessInvokeLocal()) hooks.push(hook);
}

export function localInvocationEnded(): void {
  for (const hook of hooks.splice(0)) hook();
}
