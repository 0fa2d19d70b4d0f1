import type { MessageBody, MessageName } from '../../messages/contracts';
import type { Clock } from '../../ports/clock';
import type { MessagePublisher } from '../../ports/messaging';
import type { Outbox, OutboxEvent } from '../../ports/outbox';
import { describeError, logger } from '../../logging/logger';

export type DispatchDeps = { outbox: Pick<Outbox, 'markPublished'>; publisher: MessagePublisher; clock: Clock };

/**
 * Publishes one outbox event and marks it published. Never throws: an event that could not be published stays
 * pending for the relay.
 *
 * Primary course:
 *  1. Publish the event through the MQ.
 *  2. Mark it published in the outbox. On a request's path the mark is not waited for (`markInBackground`): the answer
 *     does not need it, and a mark that never lands only lets the relay publish the event a second time after its
 *     grace period, which every consumer absorbs.
 */
export async function dispatchOutboxEvent(deps: DispatchDeps, event: OutboxEvent, options: { markInBackground?: boolean } = {}): Promise<boolean> {
  let messageId: string;
  try {
    const deliverAt = event.deliverAt ? new Date(event.deliverAt) : undefined;
    ({ messageId } = await deps.publisher.publish(event.name, event.body as MessageBody<MessageName>, { deliverAt }));
  } catch (error) {
    logger.warn('event kept in the outbox; the relay will publish it', { eventId: event.eventId, event: event.name, ...describeError(error) });
    return false;
  }
  const marked = deps.outbox.markPublished(event.eventId, deps.clock.now()).catch((error: unknown) => {
    logger.warn('event published but not marked; the relay may publish it again', { eventId: event.eventId, event: event.name, ...describeError(error) });
  });
  if (!options.markInBackground) await marked;
  logger.info('event published', { eventId: event.eventId, event: event.name, messageId });
  return true;
}

export type RelayDeps = DispatchDeps & {
  outbox: Pick<Outbox, 'pending' | 'markPublished'>;
  /**
   * Only events at least this old are relayed: a younger one may be in its request's hands right now, being published
   * and marked, and relaying it too would only publish it twice.
   */
  graceSeconds: number;
};

/**
 * Publishes every pending outbox event older than the grace period (the scheduled relay).
 *
 * Primary course:
 *  1. Read pending events created before the grace period, oldest first, a page at a time.
 *  2. Dispatch each, waiting for its mark; stop at the first failure (the MQ is likely down, the next run retries).
 *  3. Stop when a page holds nothing new: the pending index is eventually consistent, so it may still list events
 *     this run has just published.
 */
export async function relayOutbox(deps: RelayDeps, input: { pageSize?: number; maxEvents?: number } = {}): Promise<{ published: number; failed: boolean }> {
  const done = new Set<string>();
  const maxEvents = input.maxEvents ?? 1_000;
  const createdBefore = new Date(deps.clock.now().getTime() - deps.graceSeconds * 1000);
  while (done.size < maxEvents) {
    const fresh = (await deps.outbox.pending(input.pageSize ?? 25, createdBefore)).filter((event) => !done.has(event.eventId));
    if (fresh.length === 0) break;
    for (const event of fresh) {
      if (!(await dispatchOutboxEvent(deps, event))) return { published: done.size, failed: true };
      done.add(event.eventId);
    }
  }
  return { published: done.size, failed: false };
}
