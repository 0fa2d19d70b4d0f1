import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type Tags } from 'yaml';
import { overrideEnv } from '../support/env';
import { startPrivateMq, type PrivateMq } from '../support/private-mq';
import { captureLogs } from '../reliability/abuse/log-capture';
import { fakeContext } from '../../shared/testing/lambda';

// A message that fails at every delivery, for a reason other than its body (a dependency down, a bug), is logged as
// `message about to be dead-lettered` at the last deliveries before the broker dead-letters it, and only then: the
// line resources/alarms.yml counts for MessagesNearDeadLetterAlarm. The real SDK against the project's broker, with
// a dead-letter limit of 4 deliveries told to the consumer through MQ_MAX_DELIVERIES, as to the broker.
const MAX_DELIVERIES = 4;

let mq: PrivateMq;
let restoreLimit: () => void;
let runtime: typeof import('../../shared/lambda/mq-consumer');
let publisher: typeof import('../../shared/adapters/rocketmq/publisher').rocketmqPublisher;
let source: typeof import('../../shared/adapters/rocketmq/source').rocketmqSource;
let logger: typeof import('../../shared/logging/logger').logger;

beforeAll(async () => {
  mq = await startPrivateMq({ maxDeliveries: MAX_DELIVERIES, invisibilitySeconds: 1, orderlyInvisibilitySeconds: 1 });
  restoreLimit = overrideEnv({ MQ_MAX_DELIVERIES: String(MAX_DELIVERIES) });
  runtime = await import('../../shared/lambda/mq-consumer');
  publisher = (await import('../../shared/adapters/rocketmq/publisher')).rocketmqPublisher;
  source = (await import('../../shared/adapters/rocketmq/source')).rocketmqSource;
  logger = (await import('../../shared/logging/logger')).logger;
});
afterAll(async () => {
  restoreLimit();
  await mq.stop();
  mq.restoreEnv();
});

const NEAR_DEAD_LETTER = 'message about to be dead-lettered';
const scheduled = { source: 'aws.events' };
/** A context leaving `pollSeconds` of long polling after the runtime's 5 s reserve. */
const budget = (pollSeconds: number) => fakeContext('consumer', 5_000 + pollSeconds * 1_000 + 500);

/** The filter pattern of the MessagesNearDeadLetter filters in resources/alarms.yml, as a test of one parsed log line. */
function alarmFilter(): (line: Record<string, unknown>) => boolean {
  const tags = [{ tag: '!Ref', resolve: (value: string) => ({ Ref: value }) }] as unknown as Tags;
  const yml = parse(readFileSync(join(__dirname, '..', '..', 'resources', 'alarms.yml'), 'utf8'), { customTags: tags, merge: true });
  const patterns = new Set(
    Object.values(yml.Resources as Record<string, { Type: string; Properties: any }>)
      .filter((r) => r.Type === 'AWS::Logs::MetricFilter' && r.Properties.MetricTransformations[0].MetricName === 'MessagesNearDeadLetter')
      .map((r) => r.Properties.FilterPattern as string),
  );
  expect(patterns.size).toBe(1);
  const [pattern] = [...patterns];
  // Only the form `{ $.message = "text" }`, "text" ending in `*` for a prefix, is understood here.
  const match = /^\{ \$\.message = "([^"*]+)(\*?)" \}$/.exec(pattern ?? '');
  if (!match) throw new Error(`unexpected MessagesNearDeadLetter filter pattern: ${pattern}`);
  const [, text, wildcard] = match as unknown as [string, string, string];
  return (line) => typeof line.message === 'string' && (wildcard ? line.message.startsWith(text) : line.message === text);
}

/** Runs the consumer with the logger on, until the broker has dead-lettered `count` messages; the JSON lines logged. */
async function runUntilDeadLettered(handler: (event: unknown, context: ReturnType<typeof fakeContext>) => Promise<unknown>, count: number) {
  logger.setLogLevel('INFO');
  try {
    const { text } = await captureLogs(async () => {
      for (let run = 0; run < 6 && mq.broker.deadLetters().length < count; run++) await handler(scheduled, budget(3));
    });
    return text
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, any>);
  } finally {
    logger.setLogLevel((process.env.LOG_LEVEL ?? 'SILENT') as 'SILENT');
  }
}

describe('a message failing at every delivery', () => {
  it('is logged as about to be dead-lettered at its last two deliveries, not before, with what the alarm matches', async () => {
    // The store id is the message key (logged, what an operator searches the MQ console for); the rest of the body is not.
    const updatedAt = '2020-01-02T03:04:05.678Z';
    const { messageId } = await publisher.publish('StoreUpdated', { storeId: `store-${Date.now()}`, updatedAt });
    const attempts: number[] = [];
    const handler = runtime.mqConsumer({
      consumer: 'dead-letter-test',
      messages: ['StoreUpdated'],
      source: () => source({ group: 'storeCache', messages: ['StoreUpdated'] }),
      handle: async ({ meta }) => {
        attempts.push(meta.consumedTimes);
        throw new Error('DynamoDB is unavailable (injected)');
      },
    });

    const lines = (await runUntilDeadLettered(handler, 1)).filter((line) => line.messageId === messageId);

    expect(attempts).toEqual([1, 2, 3, 4]);
    expect(mq.broker.deadLetters()).toEqual([expect.objectContaining({ messageId, consumedTimes: MAX_DELIVERIES })]);
    // One line per delivery: `message failed` at the first two, the warning at the last two.
    expect(lines.map((line) => [line.consumedTimes, String(line.message).split(':')[0]])).toEqual([
      [1, 'message failed'],
      [2, 'message failed'],
      [3, NEAR_DEAD_LETTER],
      [4, NEAR_DEAD_LETTER],
    ]);
    const matches = alarmFilter();
    expect(lines.filter(matches).map((line) => line.consumedTimes)).toEqual([3, 4]);
    for (const line of lines.filter(matches)) {
      expect(line).toMatchObject({
        level: 'ERROR',
        consumer: 'dead-letter-test',
        messageId,
        tag: 'StoreUpdated',
        maxDeliveries: MAX_DELIVERIES,
        errorName: 'Error',
        errorMessage: 'DynamoDB is unavailable (injected)',
      });
      // Never the body.
      expect(JSON.stringify(line)).not.toContain(updatedAt);
    }
  }, 30_000);

  it('warns too for the ordered messages left behind it in its shard, which the broker dead-letters with it', async () => {
    const before = mq.broker.deadLetters().length;
    const orderId = `order-stuck-${Date.now()}`;
    const changedAt = new Date().toISOString();
    const first = await publisher.publish('OrderStatusChanged', { orderId, userId: 'u', status: 'WAIT_PAY', changedAt });
    const behind = await publisher.publish('OrderStatusChanged', { orderId, userId: 'u', status: 'PAID', changedAt });
    const handler = runtime.mqConsumer({
      consumer: 'ordered-dead-letter-test',
      messages: ['OrderStatusChanged'],
      ordered: true,
      source: () => source({ group: 'orderNotice', messages: ['OrderStatusChanged'], ordered: true }),
      handle: async () => {
        throw new Error('WeChat is unavailable (injected)');
      },
    });

    const lines = await runUntilDeadLettered(handler, before + 2);

    expect(mq.broker.deadLetters().slice(before).map((d) => d.messageId).sort()).toEqual([first.messageId, behind.messageId].sort());
    const warned = (id: string) => lines.filter(alarmFilter()).filter((line) => line.messageId === id).map((line) => line.consumedTimes);
    expect(warned(first.messageId)).toEqual([3, 4]);
    expect(warned(behind.messageId)).toEqual([3, 4]);
    expect(lines.find((line) => line.messageId === behind.messageId)).toMatchObject({ errorMessage: `not processed: ${first.messageId}, before it in its shard, failed` });
  }, 30_000);

  it('takes the dead-letter limit from MQ_MAX_DELIVERIES, Aliyun HTTP consumers\' 1 + 288 deliveries when unset', () => {
    expect(runtime.maxDeliveries({})).toBe(289);
    expect(runtime.maxDeliveries({ MQ_MAX_DELIVERIES: '' })).toBe(runtime.ALIYUN_HTTP_MAX_DELIVERIES);
    expect(runtime.maxDeliveries({ MQ_MAX_DELIVERIES: '16' })).toBe(16);
    expect(() => runtime.maxDeliveries({ MQ_MAX_DELIVERIES: 'many' })).toThrow(/MQ_MAX_DELIVERIES/);
  });
});
