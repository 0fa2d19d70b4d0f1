import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { DependencyUnavailableError } from '../../ports/errors';
import { dynamo } from './client';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** How many times a transaction that collided with another one on the same item is tried before giving up. */
const MAX_ATTEMPTS = 8;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Cancellation reasons carry items in DynamoDB's wire format, which the document client leaves as they are. */
const unmarshallItem = (item: Parameters<typeof unmarshall>[0] | undefined) => (item ? unmarshall(item) : undefined);

/**
 * Runs one TransactWriteItems. When a condition fails, `onConditionFailed` is called with the index of the first item
 * whose condition failed and decides what that means (it usually throws a domain error); its result is returned.
 * A transaction cancelled only because another transaction held one of its items (TransactionConflict) or because
 * DynamoDB throttled it changed nothing, so it is tried again after a jittered pause; if that goes on, the caller gets
 * DependencyUnavailableError (503). Twenty shoppers racing for one coupon therefore all get a real answer.
 */
export async function transactWrite<T>(items: TransactItem[], onConditionFailed: (index: number, item?: Record<string, unknown>) => T): Promise<T | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      await dynamo().send(new TransactWriteCommand({ TransactItems: items }));
      return undefined;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const failed = reasons.findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
      // The failed item's current value, when the write asked for it (ReturnValuesOnConditionCheckFailure).
      if (failed >= 0) return onConditionFailed(failed, unmarshallItem(reasons[failed]?.Item));
      const transient = reasons.some((reason) => reason.Code === 'TransactionConflict' || reason.Code === 'ThrottlingError');
      if (!transient) throw error;
      if (attempt >= MAX_ATTEMPTS) throw new DependencyUnavailableError('dynamodb', `transaction still conflicting after ${attempt} attempts`);
      await sleep(Math.random() * 20 * 2 ** Math.min(attempt, 5));
    }
  }
}
