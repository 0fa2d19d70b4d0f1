// Scheduled: publishes outbox events that were not published when they were written (MQ down, or a crash).
import { relayDeps } from '../../shared/composition/outbox';
import { exitAfterInvokeLocal } from '../../shared/lambda/invoke-local';
import { logger } from '../../shared/logging/logger';
import { relayOutbox } from '../../shared/use-cases/outbox/dispatch-outbox';

export const handler = exitAfterInvokeLocal(async () => {
  const result = await relayOutbox(relayDeps());
  if (result.published > 0 || result.held > 0 || result.failed) logger.info('outbox relay run', result);
  return result;
});
