/**
 * The one place deployed code knows that it may run outside Lambda. `serverless invoke local` (which sets IS_LOCAL;
 * serverless-offline also sets IS_OFFLINE) waits for Node's event loop to empty before it exits, where Lambda simply
 * freezes the container; the clients we keep open for warm invocations (ioredis, keep-alive sockets) would make a
 * local invocation hang after printing its result. Under `invoke local` only, the process exits shortly after the
 * handler settles, which leaves the CLI time to print. Everywhere else the handler is returned unchanged.
 */
export function exitAfterInvokeLocal<A extends unknown[], R>(handler: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  if (process.env.IS_LOCAL !== 'true' || process.env.IS_OFFLINE) return handler;
  return async (...args) => {
    try {
      return await handler(...args);
    } finally {
      // unref: if nothing else holds the loop open, the CLI exits on its own before this fires.
      setTimeout(() => process.exit(), 250).unref();
    }
  };
}
