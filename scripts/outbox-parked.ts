// Parked outbox events (the relay parks an event the MQ refuses for what it is; ParkedOutboxEventsAlarm mails about
// it): list them, or hand them back to the relay once the cause is fixed. Runs against the table the environment
// names: the local stack's by default; on AWS set AWS_REGION, credentials and OUTBOX_TABLE (wx-shop-<stage>-outbox).
//   npm run outbox:parked                      list
//   npm run outbox:parked -- --requeue <id>    hand one back (repeat the flag for more)
//   npm run outbox:parked -- --requeue-all     hand every parked event back
import { listParkedEvents, requeueParkedEvent } from '../shared/adapters/dynamodb/parked-events';

export async function main(args: string[]): Promise<number> {
  const all = args.includes('--requeue-all');
  const ids = args.flatMap((arg, i) => (arg === '--requeue' && args[i + 1] ? [args[i + 1] as string] : []));
  const unknown = args.filter((arg, i) => arg.startsWith('--') && arg !== '--requeue' && arg !== '--requeue-all' && args[i - 1] !== '--requeue');
  if (unknown.length > 0 || (args.includes('--requeue') && ids.length === 0)) {
    console.error(`usage: outbox-parked [--requeue <eventId>]... | [--requeue-all]  (not understood: ${unknown.join(' ') || '--requeue without an id'})`);
    return 2;
  }
  const parked = await listParkedEvents();
  if (!all && ids.length === 0) {
    if (parked.length === 0) console.log('no parked outbox events');
    for (const event of parked) console.log(`${event.eventId}  ${event.name}  created ${event.createdAt}  parked ${event.parkedAt}  ${event.parkedReason}`);
    return 0;
  }
  let failed = 0;
  for (const eventId of all ? parked.map((event) => event.eventId) : ids) {
    const requeued = await requeueParkedEvent(eventId, new Date());
    console.log(requeued ? `${eventId}: handed back to the relay` : `${eventId}: not parked (unknown, or handed back already)`);
    if (!requeued) failed += 1;
  }
  return failed > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
