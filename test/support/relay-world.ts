import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { OutboxEvent } from '../../shared/ports/outbox';
import type { MessageSource } from '../../shared/ports/messaging';
import { overrideEnv } from './env';
import { startPrivateMq, type PrivateMq } from './private-mq';
import { privateTable } from './private-table';

/**
 * The scheduled outbox relay on an outbox table and a broker of the test file's own (the relay reads the whole
 * outbox: a shared one would let another file's relay take these events), with `env` applied before the relay's
 * modules read their configuration. `put` writes an event as a committed change would leave it, pending.
 */
export async function startRelayWorld(env: Record<string, string> = {}) {
  const outboxTable = await privateTable('outbox');
  const mq: PrivateMq = await startPrivateMq();
  const restoreEnv = overrideEnv(env);
  const relay = (await import('../../functions/outbox-relay/handler')).handler;
  const { rocketmqSource } = await import('../../shared/adapters/rocketmq/source');
  const userTopic: MessageSource = rocketmqSource({ group: 'newUserCoupon', messages: ['UserRegistered'] });
  const { outboxPut } = await import('../../shared/adapters/dynamodb/outbox');
  const { dynamo } = await import('../../shared/adapters/dynamodb/client');
  const put = async (event: OutboxEvent) => {
    const { TableName, Item } = outboxPut(event).Put;
    await dynamo().send(new PutCommand({ TableName, Item }));
  };
  return {
    mq,
    relay,
    userTopic,
    put,
    async close() {
      restoreEnv();
      await outboxTable.drop();
      await mq.stop();
      mq.restoreEnv();
    },
  };
}

/** An event written `secondsAgo` seconds ago (past the relay's grace period when that is over 30). */
export function pastEvent(name: OutboxEvent['name'], body: Record<string, unknown>, secondsAgo: number, deliverAt?: Date): OutboxEvent {
  return { eventId: randomUUID(), name, body, createdAt: new Date(Date.now() - secondsAgo * 1000).toISOString(), deliverAt: deliverAt?.toISOString() };
}
