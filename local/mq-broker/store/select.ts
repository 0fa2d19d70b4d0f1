import type { TagFilter } from '../tags';
import type { GroupState, HalfMessage, MessageRecord, TopicState } from './model';

export type Selection = { take: MessageRecord[]; filteredOut: string[] };

const inFlight = (group: GroupState, id: string, now: number): boolean => (group.deliveries.get(id)?.nextConsumeTime ?? 0) > now;

/**
 * Messages a normal consume may deliver: due, not done, not in flight. Due messages the tag filter rejects are
 * reported so that they count as consumed by this group, as RocketMQ's broker-side tag filter skips them.
 */
export function selectConcurrently(topic: TopicState, group: GroupState, filter: TagFilter, limit: number, now: number): Selection {
  const take: MessageRecord[] = [];
  const filteredOut: string[] = [];
  for (let i = topic.indexOfSeq(group.lowSeq); i < topic.messages.length && take.length < limit; i++) {
    const message = topic.messages[i];
    if (!message || group.done.has(message.id) || message.deliverAt > now || inFlight(group, message.id, now)) continue;
    if (filter(message.tag)) take.push(message);
    else filteredOut.push(message.id);
  }
  return { take, filteredOut };
}

/** Messages without a sharding key are not ordered: each is its own partition. */
const partitionOf = (message: MessageRecord): string => (message.shardingKey === undefined ? `\u0000${message.id}` : message.shardingKey);

/**
 * Messages an ordered consume may deliver. A partition is locked while any of its delivered messages is
 * unacknowledged and not yet expired; otherwise its oldest pending messages are taken in arrival order, as many as
 * fit. One batch may mix partitions (protocol note 8.4). A partition whose head is not yet due stays closed, so
 * nothing overtakes it.
 */
export function selectOrderly(topic: TopicState, group: GroupState, filter: TagFilter, limit: number, now: number): Selection {
  const locked = new Set<string>();
  for (const [id, delivery] of group.deliveries) {
    const message = topic.byId.get(id);
    if (message && delivery.nextConsumeTime > now) locked.add(partitionOf(message));
  }
  const take: MessageRecord[] = [];
  const filteredOut: string[] = [];
  for (let i = topic.indexOfSeq(group.lowSeq); i < topic.messages.length && take.length < limit; i++) {
    const message = topic.messages[i];
    if (!message || group.done.has(message.id)) continue;
    const partition = partitionOf(message);
    if (locked.has(partition)) continue;
    if (message.deliverAt > now) locked.add(partition);
    else if (filter(message.tag)) take.push(message);
    else filteredOut.push(message.id);
  }
  return { take, filteredOut };
}

/** Half messages due for a check-back, oldest first; any group may pop them. */
export function selectHalfDue(topic: TopicState, limit: number, now: number): HalfMessage[] {
  const due: HalfMessage[] = [];
  for (const half of topic.halves.values()) {
    if (due.length >= limit) break;
    if (half.nextOfferAt <= now && half.expireAt > now) due.push(half);
  }
  return due;
}
