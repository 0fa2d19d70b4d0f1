import { dynamoOutbox } from '../adapters/dynamodb/outbox';
import { rocketmqPublisher } from '../adapters/rocketmq/publisher';
import { systemClock } from '../adapters/system/clock';
import { dispatchOutboxEvent } from '../use-cases/outbox/dispatch-outbox';
import type { OutboxEvent } from '../ports/outbox';

/** The production wiring of outbox dispatch: publish through RocketMQ, mark in DynamoDB. */
export const outboxDeps = { outbox: dynamoOutbox, publisher: rocketmqPublisher, clock: systemClock };

export const dispatchOutbox = (event: OutboxEvent): Promise<boolean> => dispatchOutboxEvent(outboxDeps, event);
