import type { ScheduledEvent } from 'aws-lambda';
import { loadScheduledFunctions } from './gateway/routes';
import { lambdaContext, loadHandler } from './gateway/lambda-runtime';

/** What EventBridge sends a scheduled function. */
function scheduledEvent(functionName: string): ScheduledEvent {
  const now = new Date();
  return {
    version: '0',
    id: `local-${now.getTime()}`,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: now.toISOString(),
    region: 'local',
    resources: [`arn:aws:events:local:000000000000:rule/${functionName}`],
    detail: {},
  };
}

export type Scheduler = { functions: string[]; stop(): void };

/**
 * Runs every scheduled function of serverless.yml continuously, as one warm container each: a consumer long-polls
 * for its whole time budget and is started again at once; a short job (the outbox relay) runs every `pauseMs`.
 */
export function runScheduledFunctions(options: { pauseMs: number; log: (line: string) => void }): Scheduler {
  let stopped = false;
  const functions = loadScheduledFunctions();
  for (const fn of functions) {
    const handler = loadHandler(fn.handler);
    void (async () => {
      while (!stopped) {
        const started = Date.now();
        try {
          await handler(scheduledEvent(fn.functionName), lambdaContext(fn.functionName, fn.timeoutSeconds));
        } catch (error) {
          options.log(`${fn.functionName} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
        const elapsed = Date.now() - started;
        if (!stopped && elapsed < options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs - elapsed));
      }
    })();
  }
  return { functions: functions.map((f) => f.functionName), stop: () => (stopped = true) };
}
