import type { MessageBody, MessageName } from '../../messages/contracts';
import type { Clock } from '../../ports/clock';
import { MessageRejectedError, MqUnavailableError, type MessagePublisher } from '../../ports/messaging';
import type { Outbox, OutboxEvent } from '../../ports/outbox';
import { describeError, logger } from '../../logging/logger';

export type DispatchDeps = { outbox: Pick<Outbox, 'markPublished'>; publisher: MessagePublisher; clock: Clock };

/**
 * What became of one dispatch: published; left pending for a later try, the whole MQ being unavailable or only its
 * topic missing; or refused by the MQ for good.
 */
type Outcome = { kind: 'published' } | { kind: 'unavailable' } | { kind: 'topicMissing'; reason: string } | { kind: 'rejected'; reason: string };

/**
 * Publishes one outbox event and marks it published. Never throws: an event that could not be published stays
 * pending for the relay. True when it was published.
 *
 * Primary course:
 *  1. Publish the event through the MQ.
 *  2. Mark it published in the outbox. On a request's path the mark is not waited for (`markInBackground`): the answer
 *     does not need it, and a mark that never lands only lets the relay publish the event a second time after its
 *     grace period, which every consumer absorbs.
 */
export async function dispatchOutboxEvent(deps: DispatchDeps, event: OutboxEvent, options: { markInBackground?: boolean } = {}): Promise<boolean> {
  return (await dispatch(deps, event, options)).kind === 'published';
}

async function dispatch(deps: DispatchDeps, event: OutboxEvent, options: { markInBackground?: boolean }): Promise<Outcome> {
  let messageId: string;
  try {
    const deliverAt = event.deliverAt ? new Date(event.deliverAt) : undefined;
    ({ messageId } = await deps.publisher.publish(event.name, event.body as MessageBody<MessageName>, { deliverAt }));
  } catch (error) {
    if (error instanceof MessageRejectedError) {
      logger.error('the MQ refused an outbox event; the relay will park it', { eventId: event.eventId, event: event.name, ...describeError(error) });
      return { kind: 'rejected', reason: error.detail };
    }
    if (error instanceof MqUnavailableError && error.missing === 'TOPIC') return { kind: 'topicMissing', reason: error.detail };
    logger.warn('event kept in the outbox; the relay will publish it', { eventId: event.eventId, event: event.name, ...describeError(error) });
    return { kind: 'unavailable' };
  }
  const marked = deps.outbox.markPublished(event.eventId, deps.clock.now()).catch((error: unknown) => {
    logger.warn('event published but not marked; the relay may publish it again', { eventId: event.eventId, event: event.name, ...describeError(error) });
  });
  if (!options.markInBackground) await marked;
  logger.info('event published', { eventId: event.eventId, event: event.name, messageId });
  return { kind: 'published' };
}

export type RelayDeps = DispatchDeps & {
  outbox: Pick<Outbox, 'pending' | 'markPublished' | 'park'>;
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
 *  1. Read pending events created before the grace period, oldest first, a page at a time, each page after the last
 *     event of the one before (events left pending, 2c, must not fill every page).
 *  2. Dispatch each, waiting for its mark.
 *  3. Stop at an empty page, or when a page holds nothing new (the pending index is eventually consistent).
 *
 * Alternative courses:
 *  2a. The MQ cannot take the event now (down, slow, misconfigured): stop; the next run starts again from it.
 *  2b. The MQ refuses the event for what it is (a bug: a body the contract no longer accepts, a delivery time out of
 *      range): park it, logged at error level, and go on; the events behind it must not wait for a fix.
 *  2c. The MQ has no topic for the event (a topic not created, or misspelt in the configuration): leave it and every
 *      later event of its kind pending, logged at error level once per kind and run, and go on with the other kinds.
 *      They go out, in their order, on the first run after an operator creates the topic; no one has to requeue them.
 */
export async function relayOutbox(
  deps: RelayDeps,
  input: { pageSize?: number; maxEvents?: number } = {},
): Promise<{ published: number; parked: number; held: number; failed: boolean }> {
  const done = new Set<string>();
  const topicMissing = new Set<string>();
  let published = 0;
  let parked = 0;
  let held = 0;
  const maxEvents = input.maxEvents ?? 1_000;
  const createdBefore = new Date(deps.clock.now().getTime() - deps.graceSeconds * 1000);
  let after: OutboxEvent | undefined;
  while (done.size < maxEvents) {
    const page = await deps.outbox.pending(input.pageSize ?? 25, createdBefore, after);
    after = page[page.length - 1];
    const fresh = page.filter((event) => !done.has(event.eventId));
    if (fresh.length === 0) break;
    for (const event of fresh) {
      done.add(event.eventId);
      // Nothing of a kind whose topic is missing goes out before the ones already held: they keep their order.
      if (topicMissing.has(event.name)) {
        held += 1;
        continue;
      }
      const outcome = await dispatch(deps, event, {});
      if (outcome.kind === 'unavailable') return { published, parked, held, failed: true };
      if (outcome.kind === 'published') published += 1;
      else if (outcome.kind === 'topicMissing') {
        topicMissing.add(event.name);
        held += 1;
        logger.error('outbox events held: their MQ topic does not exist', { event: event.name, eventId: event.eventId, reason: outcome.reason });
      } else if (await deps.outbox.park(event.eventId, outcome.reason, deps.clock.now())) {
        parked += 1;
        logger.error('outbox event parked', { eventId: event.eventId, event: event.name, reason: outcome.reason });
      }
    }
  }
  return { published, parked, held, failed: false };
}
