import { propertiesObject, parseProperties } from './properties';
import type { DeadLetterRecord, TopicState } from './store/model';
import type { Store } from './store/store';

/** A message that was delivered `maxDeliveries` times without an ack and is no longer offered. */
export type DeadLetter = Omit<DeadLetterRecord, 'properties'> & { properties: Record<string, string> };

export type DeadLetterFilter = { topic?: string; group?: string; instanceId?: string };

export type GroupStats = { group: string; inFlight: number; waiting: number };
export type TopicStats = { instanceId: string; topic: string; messages: number; halfMessages: number; groups: GroupStats[] };

const toDeadLetter = (d: DeadLetterRecord): DeadLetter => ({ ...d, properties: propertiesObject(parseProperties(d.properties)) });

export function listDeadLetters(store: Store, filter: DeadLetterFilter = {}): DeadLetter[] {
  return store.deadLetters
    .filter((d) => (filter.topic === undefined || d.topic === filter.topic) && (filter.group === undefined || d.group === filter.group))
    .filter((d) => filter.instanceId === undefined || d.instanceId === filter.instanceId)
    .map(toDeadLetter);
}

function groupStats(topic: TopicState, now: number): GroupStats[] {
  return [...topic.groups.values()].map((group) => {
    const inFlight = [...group.deliveries.values()].filter((d) => d.nextConsumeTime > now).length;
    const undone = topic.messages.length - topic.indexOfSeq(group.lowSeq) - group.done.size;
    return { group: group.name, inFlight, waiting: undone - inFlight };
  });
}

/** Topics and groups that hold state (kept from their first use; what exists is the topology's) with their queue depths. */
export function topicStats(store: Store, now: number): TopicStats[] {
  return [...store.topics.values()].map((topic) => ({
    instanceId: topic.instanceId,
    topic: topic.name,
    messages: topic.messages.length,
    halfMessages: topic.halves.size,
    groups: groupStats(topic, now),
  }));
}
