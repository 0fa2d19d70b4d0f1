import { dynamoOutbox, newOutboxEvent } from '../adapters/dynamodb/outbox';
import { rocketmqPublisher } from '../adapters/rocketmq/publisher';
import { systemClock } from '../adapters/system/clock';
import { dispatchOutboxEvent } from '../use-cases/outbox/dispatch-outbox';
import type { Announce, Dispatch, OutboxEvent } from '../ports/outbox';
import { configSection } from '../config/env';
import * as z from '../schemas/zod';

const outboxConfig = configSection('Outbox', {
  /** The relay leaves events younger than this to the request that wrote them. */
  OUTBOX_RELAY_GRACE_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(0)), 30),
});

/** The production wiring of outbox dispatch: publish through RocketMQ, mark in DynamoDB. */
export const outboxDeps = { outbox: dynamoOutbox, publisher: rocketmqPublisher, clock: systemClock };

/** The relay's wiring: the dispatch's, and how old an event must be before the relay takes it over. */
export const relayDeps = () => ({ ...outboxDeps, graceSeconds: outboxConfig().OUTBOX_RELAY_GRACE_SECONDS });

/** On a request's path: publish now, mark without making the answer wait. */
export const dispatchOutbox = (event: OutboxEvent): Promise<boolean> => dispatchOutboxEvent(outboxDeps, event, { markInBackground: true });

/** Publishes a change's events together; each one that fails stays pending for the relay. */
export const dispatchAll: Dispatch = async (events) => {
  await Promise.all(events.map(dispatchOutbox));
};

export const announce: Announce = (name, body, deliverAt) => newOutboxEvent(name, body, systemClock.now(), deliverAt);
