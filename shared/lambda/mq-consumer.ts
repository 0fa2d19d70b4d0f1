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

/** Processes one message; never throws. Failures are logged and left for redelivery (then the MQ's dead-letter list). */
async function processOne<N extends MessageName>(spec: ConsumerSpec<N>, message: ReceivedMessage): Promise<boolean> {
  const ids = { consumer: spec.consumer, messageId: message.messageId, messageKey: message.key, tag: message.tag, consumedTimes: message.consumedTimes };
  const started = Date.now();
  try {
    await spec.handle(decode(spec, message));
    logger.info('message processed', { ...ids, durationMs: Date.now() - started });
    return true;
  } catch (error) {
    const poison = error instanceof PoisonMessageError;
    logger.error(poison ? 'poison message: not acked, the MQ will dead-letter it after its last delivery' : 'message failed: not acked, it will be redelivered', {
      ...ids,
      ...describeError(error),
    });
    return false;
  }
}

/** Runs a batch; returns the messages that succeeded. Ordered: shards in parallel, each in order, stopping at a failure. */
async function processBatch<N extends MessageName>(spec: ConsumerSpec<N>, messages: ReceivedMessage[]): Promise<ReceivedMessage[]> {
  if (!spec.ordered) {
    const outcomes = await Promise.all(messages.map((m) => processOne(spec, m)));
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
      for (const m of shard) {
        if (!(await processOne(spec, m))) return;
        done.push(m);
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

async function poll<N extends MessageName>(spec: ConsumerSpec<N>, remainingMs: () => number): Promise<PollResult> {
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
    const succeeded = await processBatch(spec, messages);
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

async function runBatch<N extends MessageName>(spec: ConsumerSpec<N>, event: BatchEvent): Promise<BatchResult> {
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
  const succeeded = new Set(await processBatch(spec, messages));
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
    return isBatch(event) ? runBatch(spec, event) : poll(spec, pollBudget(event, context, spec.reserveMillis ?? 5_000));
  });
}
