import { dynamoOutbox, newOutboxEvent } from '../adapters/dynamodb/outbox';
import { rocketmqPublisher } from '../adapters/rocketmq/publisher';
import { systemClock } from '../adapters/system/clock';
import { dispatchOutboxEvent } from '../use-cases/outbox/dispatch-outbox';
import type { Announce, Dispatch, OutboxEvent } from '../ports/outbox';

/** The production wiring of outbox dispatch: publish through RocketMQ, mark in DynamoDB. */
export const outboxDeps = { outbox: dynamoOutbox, publisher: rocketmqPublisher, clock: systemClock };

export const dispatchOutbox = (event: OutboxEvent): Promise<boolean> => dispatchOutboxEvent(outboxDeps, event);

/** Publishes a change's events together; each one that fails stays pending for the relay. */
export const dispatchAll: Dispatch = async (events) => {
  await Promise.all(events.map(dispatchOutbox));
};

export const announce: Announce = (name, body, deliverAt) => newOutboxEvent(name, body, systemClock.now(), deliverAt);
