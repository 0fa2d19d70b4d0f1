import type { BrokerEvent } from './events';
import { GroupState, TopicState, topicKey, type DeadLetterRecord, type MessageRecord } from './model';

/** Broker state in memory. It changes only through `apply`, the same path the journal replay takes. */
export class Store {
  readonly topics = new Map<string, TopicState>();
  deadLetters: DeadLetterRecord[] = [];
  nextSeq = 1;

  topic(key: string): TopicState | undefined {
    return this.topics.get(key);
  }

  private ensureTopic(instanceId: string, name: string): TopicState {
    const key = topicKey(instanceId, name);
    let topic = this.topics.get(key);
    if (!topic) {
      topic = new TopicState(key, instanceId, name);
      this.topics.set(key, topic);
    }
    return topic;
  }

  apply(event: BrokerEvent): void {
    switch (event.e) {
      case 'seq':
        this.nextSeq = Math.max(this.nextSeq, event.next);
        return;
      case 'group':
        return this.applyGroup(event);
      case 'pub':
        return this.append(event.m);
      case 'half':
        this.ensureTopic(event.m.instanceId, event.m.topic).halves.set(event.m.id, {
          message: event.m,
          handle: event.h,
          handleValidUntil: event.validUntil,
          nextOfferAt: event.offerAt,
          checkTimes: 0,
          firstCheckTime: 0,
          expireAt: event.expireAt,
        });
        return;
      case 'dlv':
        this.topics.get(event.k)?.groups.get(event.g)?.deliveries.set(event.id, {
          handle: event.h,
          consumedTimes: event.n,
          firstConsumeTime: event.first,
          nextConsumeTime: event.next,
        });
        return;
      case 'done':
        return this.markDone(event.k, event.g, event.ids);
      case 'dead':
        this.deadLetters.push(event.d);
        return this.markDone(event.k, event.d.group, [event.d.messageId]);
      case 'hpop':
        return this.applyHalfPop(event);
      case 'commit':
        return this.applyCommit(event);
      case 'drop':
        this.topics.get(event.k)?.halves.delete(event.id);
        return;
    }
  }

  private applyGroup(event: Extract<BrokerEvent, { e: 'group' }>): void {
    const topic = this.ensureTopic(event.ns, event.t);
    let group = topic.groups.get(event.g);
    if (!group) {
      group = new GroupState(event.g);
      topic.groups.set(event.g, group);
    }
    group.lowSeq = Math.max(group.lowSeq, event.low);
  }

  private append(message: MessageRecord): void {
    const topic = this.ensureTopic(message.instanceId, message.topic);
    topic.messages.push(message);
    topic.byId.set(message.id, message);
    this.nextSeq = Math.max(this.nextSeq, message.seq + 1);
  }

  private applyHalfPop(event: Extract<BrokerEvent, { e: 'hpop' }>): void {
    const half = this.topics.get(event.k)?.halves.get(event.id);
    if (!half) return;
    Object.assign(half, { handle: event.h, checkTimes: event.n, firstCheckTime: event.first, nextOfferAt: event.next, handleValidUntil: event.validUntil });
  }

  private applyCommit(event: Extract<BrokerEvent, { e: 'commit' }>): void {
    const topic = this.topics.get(event.k);
    const half = topic?.halves.get(event.id);
    if (!topic || !half) return;
    topic.halves.delete(event.id);
    // A committed message joins the topic at commit time: that is when consumers may first see it.
    this.append({ ...half.message, seq: event.seq, deliverAt: event.at });
  }

  private markDone(key: string, groupName: string, ids: string[]): void {
    const topic = this.topics.get(key);
    const group = topic?.groups.get(groupName);
    if (!topic || !group) return;
    for (const id of ids) {
      group.deliveries.delete(id);
      const seq = topic.byId.get(id)?.seq;
      if (seq !== undefined && seq >= group.lowSeq) group.done.add(id);
    }
    advanceLowWaterMark(topic, group);
  }

  /** Forgets messages and dead letters older than the retention (3 days on Aliyun, counted from delivery time). */
  expire(now: number, retentionMs: number): void {
    for (const topic of this.topics.values()) {
      const expired = topic.messages.filter((m) => m.deliverAt + retentionMs <= now);
      if (expired.length === 0) continue;
      const gone = new Set(expired.map((m) => m.id));
      topic.messages.splice(0, topic.messages.length, ...topic.messages.filter((m) => !gone.has(m.id)));
      for (const id of gone) topic.byId.delete(id);
      for (const group of topic.groups.values()) {
        for (const id of gone) {
          group.deliveries.delete(id);
          group.done.delete(id);
        }
        advanceLowWaterMark(topic, group);
      }
    }
    this.deadLetters = this.deadLetters.filter((d) => d.deadLetteredAt + retentionMs > now);
  }

  /** The shortest event list that rebuilds the current state; the journal is rewritten with it. */
  snapshot(): BrokerEvent[] {
    const events: BrokerEvent[] = [{ e: 'seq', next: this.nextSeq }];
    for (const topic of this.topics.values()) events.push(...topicSnapshot(topic));
    for (const d of this.deadLetters) events.push({ e: 'dead', k: topicKey(d.instanceId, d.topic), d });
    return events;
  }
}

function advanceLowWaterMark(topic: TopicState, group: GroupState): void {
  let index = topic.indexOfSeq(group.lowSeq);
  while (index < topic.messages.length) {
    const message = topic.messages[index];
    if (!message || !group.done.has(message.id)) break;
    group.done.delete(message.id);
    index += 1;
  }
  const next = topic.messages[index];
  const last = topic.messages[topic.messages.length - 1];
  group.lowSeq = next ? next.seq : Math.max(group.lowSeq, (last?.seq ?? 0) + 1);
}

function topicSnapshot(topic: TopicState): BrokerEvent[] {
  const k = topic.key;
  const events: BrokerEvent[] = [];
  for (const group of topic.groups.values()) {
    events.push({ e: 'group', k, ns: topic.instanceId, t: topic.name, g: group.name, low: group.lowSeq });
  }
  for (const m of topic.messages) events.push({ e: 'pub', m });
  for (const group of topic.groups.values()) {
    for (const [id, d] of group.deliveries) {
      events.push({ e: 'dlv', k, g: group.name, id, h: d.handle, n: d.consumedTimes, first: d.firstConsumeTime, next: d.nextConsumeTime });
    }
    if (group.done.size > 0) events.push({ e: 'done', k, g: group.name, ids: [...group.done] });
  }
  for (const half of topic.halves.values()) {
    events.push({ e: 'half', m: half.message, h: half.handle, validUntil: half.handleValidUntil, offerAt: half.nextOfferAt, expireAt: half.expireAt });
    if (half.checkTimes > 0) {
      events.push({ e: 'hpop', k, id: half.message.id, h: half.handle, n: half.checkTimes, first: half.firstCheckTime, next: half.nextOfferAt, validUntil: half.handleValidUntil });
    }
  }
  return events;
}
