import type { BrokerConfig } from './config';
import { handleExpired, handleMalformed, type HandleError } from './errors';
import { messageIdOfHandle, newReceiptHandle } from './ids';
import type { Journal } from './journal';
import { newMessage, type Address } from './publish';
import { Scheduler } from './scheduler';
import { dueTimesOf, topicKeyOf, type BrokerEvent } from './store/events';
import { type DeadLetterRecord, type GroupState, type HalfMessage, type MessageRecord, type TopicState } from './store/model';
import { selectConcurrently, selectHalfDue, selectOrderly } from './store/select';
import { Store } from './store/store';
import type { TagFilter } from './tags';
import type { Waiters } from './waiters';
import type { DeliveredMessage, PublishRequest, PublishResult } from './xml';

export type ConsumeMode = 'concurrently' | 'orderly';
export type LogSink = (entry: Record<string, unknown>) => void;

/** Compaction rewrites the journal once it holds this many lines and at least twice the live state. */
const COMPACT_AFTER_LINES = 50_000;

/** The broker's behaviour: every operation validates, turns its effect into events, and emits them. */
export class BrokerCore {
  readonly store = new Store();
  private readonly scheduler: Scheduler;

  constructor(
    private readonly config: BrokerConfig,
    private readonly journal: Journal,
    private readonly waiters: Waiters,
    private readonly log: LogSink,
  ) {
    this.scheduler = new Scheduler(config.clock, (key) => this.onDue(key));
  }

  /** Rebuilds the state from a journal, applies retention, and rewrites the journal as a snapshot. */
  restore(events: BrokerEvent[]): void {
    for (const event of events) this.store.apply(event);
    this.housekeeping(true);
    const now = this.config.clock();
    for (const event of this.store.snapshot()) this.schedule(event, now);
    for (const key of this.store.topics.keys()) this.sweep(key);
  }

  close(): void {
    this.scheduler.stop();
    this.journal.close();
  }

  /** Drops expired messages and compacts the journal when it has grown far beyond the live state. */
  housekeeping(forceCompaction = false): void {
    this.store.expire(this.config.clock(), this.config.retentionMs);
    if (!forceCompaction && this.journal.appendedSinceRewrite < COMPACT_AFTER_LINES) return;
    const snapshot = this.store.snapshot();
    if (forceCompaction || snapshot.length * 2 < this.journal.appendedSinceRewrite) {
      this.journal.rewrite(snapshot);
      this.log({ level: 'info', event: 'mq.journal-compacted', lines: snapshot.length });
    }
  }

  /** Journals first: when the disk write fails, memory is unchanged and the client gets an error, not a ghost. */
  private emit(event: BrokerEvent): void {
    this.journal.append(event);
    this.store.apply(event);
    this.schedule(event, this.config.clock());
  }

  private schedule(event: BrokerEvent, now: number): void {
    const key = topicKeyOf(event);
    if (key === undefined) return;
    for (const time of dueTimesOf(event)) if (time > now) this.scheduler.at(time, key);
  }

  private group(address: Address, name: string): { topic: TopicState; group: GroupState } {
    let topic = this.store.topic(address.key);
    let group = topic?.groups.get(name);
    if (!topic || !group) {
      this.emit({ e: 'group', k: address.key, ns: address.instanceId, t: address.topic, g: name, low: 0 });
      topic = this.store.topic(address.key) as TopicState;
      group = topic.groups.get(name) as GroupState;
    }
    return { topic, group };
  }

  publish(address: Address, request: PublishRequest): PublishResult {
    const now = this.config.clock();
    const { record, transCheckSeconds } = newMessage(address, request, this.config, now);
    const result = { messageId: record.id, bodyMd5: record.bodyMd5 };
    if (transCheckSeconds !== undefined) {
      // The publish handle commits or rolls back until TransCheckImmunityTime; then check-backs start.
      const checkAt = now + transCheckSeconds * 1000;
      const handle = newReceiptHandle(record.id, now);
      this.emit({ e: 'half', m: record, h: handle, validUntil: checkAt, offerAt: checkAt, expireAt: checkAt + this.config.halfCheckMaxMs });
      return { ...result, receiptHandle: handle };
    }
    this.emit({ e: 'pub', m: { ...record, seq: this.store.nextSeq } });
    if (record.deliverAt <= now) this.waiters.wake(address.key);
    return result;
  }

  consume(address: Address, groupName: string, mode: ConsumeMode, filter: TagFilter, limit: number): DeliveredMessage[] {
    const { topic, group } = this.group(address, groupName);
    this.sweep(address.key);
    const now = this.config.clock();
    const select = mode === 'orderly' ? selectOrderly : selectConcurrently;
    const { take, filteredOut } = select(topic, group, filter, limit, now);
    if (filteredOut.length > 0) this.emit({ e: 'done', k: topic.key, g: group.name, ids: filteredOut });
    const invisibleMs = mode === 'orderly' ? this.config.orderlyInvisibilityMs : this.config.invisibilityMs;
    return take.map((message) => this.deliver(topic, group, message, now, invisibleMs));
  }

  private deliver(topic: TopicState, group: GroupState, message: MessageRecord, now: number, invisibleMs: number): DeliveredMessage {
    const previous = group.deliveries.get(message.id);
    const event = {
      e: 'dlv',
      k: topic.key,
      g: group.name,
      id: message.id,
      h: newReceiptHandle(message.id, now),
      n: (previous?.consumedTimes ?? 0) + 1,
      first: previous?.firstConsumeTime ?? now,
      next: now + invisibleMs,
    } as const;
    this.emit(event);
    return delivered(message, event.h, event.first, event.next, event.n);
  }

  /** `trans=pop`: due half messages for the producer's check-back, each with a new handle. */
  popHalf(address: Address, groupName: string, limit: number): DeliveredMessage[] {
    const { topic } = this.group(address, groupName);
    this.sweep(address.key);
    const now = this.config.clock();
    return selectHalfDue(topic, limit, now).map((half) => this.offerHalf(topic, half, now));
  }

  private offerHalf(topic: TopicState, half: HalfMessage, now: number): DeliveredMessage {
    const next = now + this.config.halfCheckIntervalMs;
    const event = {
      e: 'hpop',
      k: topic.key,
      id: half.message.id,
      h: newReceiptHandle(half.message.id, now),
      n: half.checkTimes + 1,
      first: half.checkTimes === 0 ? now : half.firstCheckTime,
      next,
      validUntil: Math.min(next, now + this.config.popHandleValidityMs),
    } as const;
    this.emit(event);
    return delivered(half.message, event.h, event.first, event.next, event.n);
  }

  /** Acks a batch: the valid handles are applied even when others fail (protocol note 4.4). */
  ack(address: Address, groupName: string, handles: string[]): HandleError[] {
    const { topic, group } = this.group(address, groupName);
    const now = this.config.clock();
    const errors: HandleError[] = [];
    const acked = new Set<string>();
    for (const handle of handles) {
      const id = messageIdOfHandle(handle);
      const delivery = id === undefined ? undefined : group.deliveries.get(id);
      if (id === undefined) errors.push(handleMalformed(handle));
      else if (!delivery || delivery.handle !== handle || delivery.nextConsumeTime <= now || acked.has(id)) errors.push(handleExpired(handle));
      else acked.add(id);
    }
    if (acked.size > 0) {
      this.emit({ e: 'done', k: topic.key, g: group.name, ids: [...acked] });
      // An ack may unlock an ordered partition.
      this.waiters.wake(topic.key);
    }
    return errors;
  }

  /** Commit or rollback with the publish handle (until TransCheckImmunityTime) or the latest pop handle. */
  resolveHalf(address: Address, handles: string[], decision: 'commit' | 'rollback'): HandleError[] {
    const topic = this.store.topic(address.key);
    const now = this.config.clock();
    const errors: HandleError[] = [];
    let committed = false;
    for (const handle of handles) {
      const id = messageIdOfHandle(handle);
      const half = id === undefined ? undefined : topic?.halves.get(id);
      if (id === undefined) errors.push(handleMalformed(handle));
      else if (!topic || !half || half.handle !== handle || half.handleValidUntil <= now) errors.push(handleExpired(handle));
      else if (decision === 'rollback') this.emit({ e: 'drop', k: topic.key, id, why: 'rollback' });
      else {
        this.emit({ e: 'commit', k: topic.key, id, seq: this.store.nextSeq, at: now });
        committed = true;
      }
    }
    if (committed) this.waiters.wake(address.key);
    return errors;
  }

  private onDue(key: string): void {
    this.sweep(key);
    this.waiters.wake(key);
  }

  /** Dead-letters messages whose last allowed delivery expired, and discards half messages past their check period. */
  private sweep(key: string): void {
    const topic = this.store.topic(key);
    if (!topic) return;
    const now = this.config.clock();
    for (const group of topic.groups.values()) {
      for (const [id, delivery] of group.deliveries) {
        if (delivery.nextConsumeTime > now || delivery.consumedTimes < this.config.maxDeliveries) continue;
        const message = topic.byId.get(id);
        if (message) this.deadLetter(topic, group, message, delivery.consumedTimes, now);
      }
    }
    for (const half of topic.halves.values()) {
      if (half.expireAt > now) continue;
      // Open-source RocketMQ discards a half message once its checks run out; the Aliyun docs stop at "24 h".
      this.emit({ e: 'drop', k: key, id: half.message.id, why: 'expired' });
      this.log({ level: 'warn', event: 'mq.half-message-discarded', message: 'unresolved transactional message discarded after its check-back period', instanceId: topic.instanceId, topic: topic.name, messageId: half.message.id, checkTimes: half.checkTimes });
    }
  }

  private deadLetter(topic: TopicState, group: GroupState, message: MessageRecord, consumedTimes: number, now: number): void {
    const record: DeadLetterRecord = {
      instanceId: topic.instanceId,
      topic: topic.name,
      group: group.name,
      messageId: message.id,
      consumedTimes,
      body: message.body,
      tag: message.tag,
      properties: message.properties,
      publishTime: message.publishTime,
      deadLetteredAt: now,
    };
    this.emit({ e: 'dead', k: topic.key, d: record });
    this.log({
      level: 'warn',
      event: 'mq.dead-letter',
      message: `message moved to the dead-letter list after ${consumedTimes} deliveries without ack`,
      instanceId: topic.instanceId,
      topic: topic.name,
      group: group.name,
      messageId: message.id,
      consumedTimes,
    });
  }
}

function delivered(message: MessageRecord, handle: string, first: number, next: number, consumedTimes: number): DeliveredMessage {
  return {
    messageId: message.id,
    receiptHandle: handle,
    bodyMd5: message.bodyMd5,
    body: message.body,
    publishTime: message.publishTime,
    firstConsumeTime: first,
    nextConsumeTime: next,
    consumedTimes,
    tag: message.tag,
    properties: message.properties,
  };
}
