import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { lambdaContext } from '../../shared/testing/lambda-context';
import { PROJECT_ROOT } from './routes';

type AnyHandler = (event: unknown, context: Context) => Promise<unknown>;

const loaded = new Map<string, AnyHandler>();

/**
 * Loads a function's handler the way Lambda does (module init once, then reused: one warm container per function,
 * all in this process). `functions/get-store/handler.handler` -> export `handler` of functions/get-store/handler.ts.
 */
export function loadHandler(handler: string): AnyHandler {
  const cached = loaded.get(handler);
  if (cached) return cached;
  const dot = handler.lastIndexOf('.');
  const file = join(PROJECT_ROOT, handler.slice(0, dot));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- handlers are loaded by path at run time, as Lambda does
  const fn = (require(file) as Record<string, unknown>)[handler.slice(dot + 1)];
  if (typeof fn !== 'function') throw new Error(`${handler}: no such export`);
  loaded.set(handler, fn as AnyHandler);
  return fn as AnyHandler;
}

export { lambdaContext };
