import { fakeContext } from '../../shared/testing/lambda';
import type { PollResult } from '../../shared/lambda/mq-consumer';

type ConsumerHandler = (event: unknown, context: ReturnType<typeof fakeContext>) => Promise<unknown>;

/** The consumer runtime keeps 5 s of its budget for the last batch; this gives it `pollSeconds` of long polling on top. */
const RESERVE_MS = 5_000;

/** Runs a consumer function once, as its schedule would, long-polling for about `pollSeconds`. */
export async function pollOnce(handler: ConsumerHandler, pollSeconds = 1): Promise<PollResult> {
  return (await handler({ source: 'aws.events', 'detail-type': 'Scheduled Event' }, fakeContext('consumer', RESERVE_MS + pollSeconds * 1000 + 500))) as PollResult;
}
