import type { Context } from 'aws-lambda';
import { messageContracts, type MessageBody, type MessageName } from '../messages/contracts';
import type { MessageSource, ReceivedMessage } from '../ports/messaging';
import { describeError, logger } from '../logging/logger';
import { exitAfterInvokeLocal } from './invoke-local';

/** A decoded message handed to a consumer's use case. */
export type ConsumedMessage<N extends MessageName> = { [K in N]: { name: K; body: MessageBody<K>; meta: ReceivedMessage } }[N];

export type ConsumerSpec<N extends MessageName> = {
  /** The consumer's name in logs. */
  consumer: string;
  messages: readonly N[];
  /** Built lazily so that a function that is only ever fed batches needs no MQ client. */
  source: () => MessageSource;
  /** Ordered consumption: a shard (sharding key) stops at its first failure; its later messages wait for redelivery. */
  ordered?: boolean;
  handle: (message: ConsumedMessage<N>) => Promise<void>;
  /** Longest single long poll (the protocol allows 30 s). */
  maxWaitSeconds?: number;
  /** Time kept back from the Lambda budget for processing and acking the last batch. */
  reserveMillis?: number;
};

/** A message given directly as the event (push triggers, `serverless invoke local -p events/...`). */
export type BatchMessage = { messageId?: string; tag: string; key?: string; shardingKey?: string; body: unknown; consumedTimes?: number };
export type BatchEvent = { messages: BatchMessage[] };
export type BatchResult = { batchItemFailures: Array<{ itemIdentifier: string }> };
/** `failed`: messages left unacked for redelivery (those that threw, and in ordered mode the rest of their shard). */
export type PollResult = { polls: number; received: number; succeeded: number; failed: number; ackFailed: number };

const MAX_BATCH = 16;

/**
 * Deliveries after which the MQ gives up on a message never acked and moves it to the group's dead-letter queue.
 * Aliyun's retry policy for HTTP consumers (docs/protocols/aliyun-mq-http-protocol.md 8.1): a redelivery every 5
 * minutes (every minute when ordered), at most 288 retries, so the last delivery has ConsumedTimes 1 + 288. The
 * local broker's default is 16 (RocketMQ's TCP default); `MQ_MAX_DELIVERIES`, the variable the broker reads, tells a
 * consumer the limit of the broker it polls when that is not Aliyun's.
 */
export const ALIYUN_HTTP_MAX_DELIVERIES = 1 + 288;
/**
 * A message that fails at one of this many last deliveries is logged as `message about to be dead-lettered` instead
 * of `message failed`, and the MessagesNearDeadLetterAlarm (resources/alarms.yml) mails the operators: Aliyun's
 * dead-letter queue is not visible in CloudWatch. Two rather than one, so that the alarm still fires if Aliyun's last
 * delivery is the 288th rather than the 289th, or if the run processing the last one dies before it logs.
 */
export const DEAD_LETTER_WARNING_DELIVERIES = 2;

/** The dead-letter limit of the MQ this consumer polls: `MQ_MAX_DELIVERIES` when set, else Aliyun's. */
export function maxDeliveries(env: Record<string, string | undefined> = process.env): number {
  const raw = env.MQ_MAX_DELIVERIES;
  if (raw === undefined || raw === '') return ALIYUN_HTTP_MAX_DELIVERIES;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`MQ_MAX_DELIVERIES must be a positive integer, got "${raw}"`);
  return value;
}

/** Whether a failure at this delivery is one of the last before the MQ dead-letters the message. */
const nearDeadLetter = (message: ReceivedMessage, limit: number) => message.consumedTimes > limit - DEAD_LETTER_WARNING_DELIVERIES;

class PoisonMessageError extends Error {
  override readonly name = 'PoisonMessageError';
}

function decode<N extends MessageName>(spec: ConsumerSpec<N>, message: ReceivedMessage): ConsumedMessage<N> {
  const name = spec.messages.find((n) => messageContracts[n].tag === message.tag);
  if (!name) throw new PoisonMessageError(`no contract of ${spec.consumer} has tag "${message.tag}"`);
  let json: unknown;
  try {
    json = JSON.parse(message.body);
  } catch {
    throw new PoisonMessageError('body is not JSON');
  }
  const parsed = messageContracts[name].body.safeParse(json);
  if (!parsed.success) throw new PoisonMessageError(`body does not match ${name}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return { name, body: parsed.data, meta: message } as ConsumedMessage<N>;
}

const idsOf = (consumer: string, message: ReceivedMessage) => ({
  consumer,
  messageId: message.messageId,
  messageKey: message.key,
  tag: message.tag,
  consumedTimes: message.consumedTimes,
});

/**
 * Processes one message; never throws. Failures are logged and left for redelivery (then the MQ's dead-letter list):
 * at the last deliveries as `message about to be dead-lettered`, which the operators are alarmed on.
 */
async function processOne<N extends MessageName>(spec: ConsumerSpec<N>, message: ReceivedMessage, limit: number): Promise<boolean> {
  const ids = idsOf(spec.consumer, message);
  const started = Date.now();
  try {
    await spec.handle(decode(spec, message));
    logger.info('message processed', { ...ids, durationMs: Date.now() - started });
    return true;
  } catch (error) {
    if (error instanceof PoisonMessageError) {
      logger.error('poison message: not acked, the MQ will dead-letter it after its last delivery', { ...ids, ...describeError(error) });
    } else if (nearDeadLetter(message, limit)) {
      logger.error('message about to be dead-lettered: not acked at one of the last deliveries before the MQ gives up on it', {
        ...ids,
        maxDeliveries: limit,
        ...describeError(error),
      });
    } else {
      logger.error('message failed: not acked, it will be redelivered', { ...ids, ...describeError(error) });
    }
    return false;
  }
}

/**
 * Runs a batch; returns the messages that succeeded. Ordered: shards in parallel, each in order, stopping at a failure.
 * The MQ counts a delivery for the messages left behind a failure too, so they reach its dead-letter limit with it:
 * those at their last deliveries are logged as about to be dead-lettered as well.
 */
async function processBatch<N extends MessageName>(spec: ConsumerSpec<N>, messages: ReceivedMessage[], limit: number): Promise<ReceivedMessage[]> {
  if (!spec.ordered) {
    const outcomes = await Promise.all(messages.map((m) => processOne(spec, m, limit)));
    return messages.filter((_, i) => outcomes[i]);
  }
  const shards = new Map<string, ReceivedMessage[]>();
  for (const m of messages) {
    const shard = m.shardingKey ?? m.messageId;
    shards.set(shard, [...(shards.get(shard) ?? []), m]);
  }
  const done: ReceivedMessage[] = [];
  await Promise.all(
    [...shards.values()].map(async (shard) => {
      for (const [i, m] of shard.entries()) {
        if (await processOne(spec, m, limit)) {
          done.push(m);
          continue;
        }
        for (const behind of shard.slice(i + 1).filter((b) => nearDeadLetter(b, limit))) {
          logger.error('message about to be dead-lettered: not acked at one of the last deliveries before the MQ gives up on it', {
            ...idsOf(spec.consumer, behind),
            maxDeliveries: limit,
            errorMessage: `not processed: ${m.messageId}, before it in its shard, failed`,
          });
        }
        return;
      }
    }),
  );
  return done;
}

/**
 * How long a run may still poll: the function's remaining time less the reserve, or less when the event asks for a
 * short run (`{ "pollSeconds": 3 }`, for `serverless invoke local`; a schedule's event polls the whole budget).
 */
export function pollBudget(event: unknown, context: Context, reserveMs: number): () => number {
  const asked = (event as { pollSeconds?: unknown } | null)?.pollSeconds;
  const until = typeof asked === 'number' && asked > 0 ? Date.now() + asked * 1000 + reserveMs : Number.POSITIVE_INFINITY;
  return () => Math.min(context.getRemainingTimeInMillis(), until - Date.now()) - reserveMs;
}

async function poll<N extends MessageName>(spec: ConsumerSpec<N>, remainingMs: () => number, limit: number): Promise<PollResult> {
  const source = spec.source();
  const result: PollResult = { polls: 0, received: 0, succeeded: 0, failed: 0, ackFailed: 0 };
  for (;;) {
    const waitSeconds = Math.min(spec.maxWaitSeconds ?? 30, Math.floor(remainingMs() / 1000));
    if (waitSeconds < 1) break;
    let messages: ReceivedMessage[];
    try {
      result.polls++;
      messages = await source.receive(MAX_BATCH, waitSeconds);
    } catch (error) {
      logger.warn('receive failed; retrying after a pause', { consumer: spec.consumer, ...describeError(error) });
      await new Promise((r) => setTimeout(r, 1_000));
      continue;
    }
    if (messages.length === 0) continue;
    result.received += messages.length;
    const succeeded = await processBatch(spec, messages, limit);
    result.succeeded += succeeded.length;
    result.failed += messages.length - succeeded.length;
    try {
      const failures = await source.ack(succeeded.map((m) => m.receiptHandle));
      result.ackFailed += failures.length;
      for (const f of failures) {
        // The message's invisibility ran out before the ack: it will come again, and the idempotent use case absorbs it.
        logger.warn('ack refused; the message will be redelivered', { consumer: spec.consumer, errorCode: f.errorCode });
      }
    } catch (error) {
      result.ackFailed += succeeded.length;
      logger.warn('ack failed; the batch will be redelivered', { consumer: spec.consumer, ...describeError(error) });
    }
  }
  if (result.received > 0) logger.info('poll finished', { consumer: spec.consumer, ...result });
  return result;
}

async function runBatch<N extends MessageName>(spec: ConsumerSpec<N>, event: BatchEvent, limit: number): Promise<BatchResult> {
  const messages: ReceivedMessage[] = event.messages.map((m, i) => ({
    messageId: m.messageId ?? `batch-${i}`,
    receiptHandle: '',
    tag: m.tag,
    key: m.key,
    shardingKey: m.shardingKey,
    body: typeof m.body === 'string' ? m.body : JSON.stringify(m.body),
    consumedTimes: m.consumedTimes ?? 1,
    publishedAt: new Date(),
  }));
  const succeeded = new Set(await processBatch(spec, messages, limit));
  return { batchItemFailures: messages.filter((m) => !succeeded.has(m)).map((m) => ({ itemIdentifier: m.messageId })) };
}

function isBatch(event: unknown): event is BatchEvent {
  return typeof event === 'object' && event !== null && Array.isArray((event as BatchEvent).messages);
}

/**
 * The one wrapper for MQ consumer functions. The Aliyun HTTP protocol is pull-only, so on its schedule the function
 * long-polls its topic until its time budget is nearly spent, processes each message, acks what succeeded and leaves
 * failures to redelivery. Given `{ messages: [...] }` as the event it processes those instead and reports failures
 * as `batchItemFailures`.
 */
export function mqConsumer<N extends MessageName>(spec: ConsumerSpec<N>) {
  return exitAfterInvokeLocal(async (event: unknown, context: Context): Promise<PollResult | BatchResult> => {
    logger.resetKeys();
    // Read per run, so that a malformed MQ_MAX_DELIVERIES fails the run (a Lambda error, alarmed) before any receive.
    const limit = maxDeliveries();
    return isBatch(event) ? runBatch(spec, event, limit) : poll(spec, pollBudget(event, context, spec.reserveMillis ?? 5_000), limit);
  });
}
