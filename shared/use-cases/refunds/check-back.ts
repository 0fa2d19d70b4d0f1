import { messageContracts } from '../../messages/contracts';
import { describeError, logger } from '../../logging/logger';
import type { Clock } from '../../ports/clock';
import type { HalfMessageChecks, ReceivedMessage } from '../../ports/messaging';
import type { OrderRepository } from '../../ports/ordering';
import type { RefundRepository } from '../../ports/payments';

export type CheckBackDeps = {
  refunds: Pick<RefundRepository, 'get'>;
  orders: Pick<OrderRepository, 'get'>;
  clock: Clock;
  /**
   * A half message this old whose local transaction left no trace is rolled back: no request can still be running
   * it (an API function lives at most 10 s). Younger ones are left for the next check.
   */
  rollbackAfterSeconds: number;
};

export type Decision = 'COMMIT' | 'ROLLBACK' | 'UNKNOWN';

function parse(message: ReceivedMessage) {
  try {
    const json: unknown = JSON.parse(message.body);
    if (message.tag === messageContracts.OrderRefunded.tag) {
      const body = messageContracts.OrderRefunded.body.safeParse(json);
      if (body.success) return { name: 'OrderRefunded' as const, body: body.data };
    }
    if (message.tag === messageContracts.OrderFinished.tag) {
      const body = messageContracts.OrderFinished.body.safeParse(json);
      if (body.success) return { name: 'OrderFinished' as const, body: body.data };
    }
  } catch {
    // falls through: a half message nobody can read
  }
  return undefined;
}

/**
 * Decides a half message whose producer's commit or rollback was lost, from DynamoDB alone (it never calls the order
 * function): the local transaction left its trace (the refund record, naming this half message; the order FINISHED)
 * -> COMMIT; a refund record naming another half message (a concurrent request won) -> ROLLBACK; no trace, and old
 * enough that no request can still be writing it -> ROLLBACK; otherwise UNKNOWN, asked again at the next check.
 */
export async function decideHalfMessage(deps: CheckBackDeps, message: ReceivedMessage): Promise<Decision> {
  const parsed = parse(message);
  if (!parsed) {
    logger.error('half message nobody can decide (unknown tag or body): rolled back', { messageId: message.messageId, tag: message.tag });
    return 'ROLLBACK';
  }
  let done: boolean;
  if (parsed.name === 'OrderRefunded') {
    const record = await deps.refunds.get(parsed.body.orderId, parsed.body.outRefundNo);
    // Two requests raced: the record names the winner's half message. The loser's (same body) whose rollback was
    // lost must not be delivered as well; a record without the id (older ones) counts for any.
    if (record?.halfMessageId !== undefined && record.halfMessageId !== message.messageId) {
      logger.info('half message of a refund request whose local transaction lost the race: rolled back', { messageId: message.messageId, orderId: parsed.body.orderId });
      return 'ROLLBACK';
    }
    done = record !== undefined;
  } else {
    done = (await deps.orders.get(parsed.body.orderId))?.history.some((entry) => entry.status === 'FINISHED') ?? false;
  }
  if (done) return 'COMMIT';
  const ageMs = deps.clock.now().getTime() - message.publishedAt.getTime();
  return ageMs > deps.rollbackAfterSeconds * 1000 ? 'ROLLBACK' : 'UNKNOWN';
}

export type CheckBackResult = { checked: number; committed: number; rolledBack: number; undecided: number };

/**
 * The check-back function's loop: long-polls the half messages the MQ offers for checking while `remainingMs` (its time
 * budget less a reserve for the last decisions) allows, and commits or rolls back each one it can decide.
 */
export async function runCheckBack(deps: CheckBackDeps & { checks: HalfMessageChecks }, input: { remainingMs: () => number }): Promise<CheckBackResult> {
  const result: CheckBackResult = { checked: 0, committed: 0, rolledBack: 0, undecided: 0 };
  for (;;) {
    const waitSeconds = Math.min(30, Math.floor(input.remainingMs() / 1000));
    if (waitSeconds < 1) break;
    let messages: ReceivedMessage[];
    try {
      messages = await deps.checks.receive(16, waitSeconds);
    } catch (error) {
      logger.warn('receiving half messages failed; trying again', describeError(error));
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      continue;
    }
    for (const message of messages) {
      result.checked++;
      const decision = await decideHalfMessage(deps, message);
      if (decision === 'UNKNOWN') result.undecided++;
      else if (decision === 'COMMIT' ? await deps.checks.commit(message.receiptHandle) : await deps.checks.rollback(message.receiptHandle)) {
        if (decision === 'COMMIT') result.committed++;
        else result.rolledBack++;
      }
      logger.info('half message checked', { messageId: message.messageId, tag: message.tag, key: message.key, decision });
    }
  }
  if (result.checked > 0) logger.info('check-back run finished', result);
  return result;
}
