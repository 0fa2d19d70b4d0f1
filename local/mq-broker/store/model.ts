/** A message as the broker keeps it. `seq` is its place in the topic's arrival order (0 while it is a half message). */
export type MessageRecord = {
  key: string;
  instanceId: string;
  topic: string;
  id: string;
  body: string;
  bodyMd5: string;
  tag: string;
  properties: string;
  publishTime: number;
  deliverAt: number;
  shardingKey?: string;
  seq: number;
};

/** The latest delivery of a message to one group; the handle is valid until `nextConsumeTime`. */
export type Delivery = { handle: string; consumedTimes: number; firstConsumeTime: number; nextConsumeTime: number };

/** One consumer group on one topic: clustering consumption, so each message goes to one request at a time. */
export class GroupState {
  readonly deliveries = new Map<string, Delivery>();
  /** Acked, filtered-out or dead-lettered messages at or above `lowSeq`; everything below `lowSeq` is done. */
  readonly done = new Set<string>();
  lowSeq = 0;
  constructor(readonly name: string) {}
}

/** An uncommitted transactional message: hidden from consumers, offered to `trans=pop` from `nextOfferAt`. */
export type HalfMessage = {
  message: MessageRecord;
  handle: string;
  handleValidUntil: number;
  nextOfferAt: number;
  checkTimes: number;
  firstCheckTime: number;
  expireAt: number;
};

export type DeadLetterRecord = {
  instanceId: string;
  topic: string;
  group: string;
  messageId: string;
  consumedTimes: number;
  body: string;
  tag: string;
  properties: string;
  publishTime: number;
  deadLetteredAt: number;
};

/** Topics are namespaced by instance id (`ns`); the default instance is the empty string. */
export const topicKey = (instanceId: string, topic: string): string => JSON.stringify([instanceId, topic]);

export class TopicState {
  /** Committed messages in arrival order (ascending `seq`). */
  readonly messages: MessageRecord[] = [];
  readonly byId = new Map<string, MessageRecord>();
  readonly groups = new Map<string, GroupState>();
  /** Half messages are keyed by topic only: the publish carries no group (protocol note 8.6). */
  readonly halves = new Map<string, HalfMessage>();
  constructor(
    readonly key: string,
    readonly instanceId: string,
    readonly name: string,
  ) {}

  /** Index of the first message whose seq is at least `seq`. */
  indexOfSeq(seq: number): number {
    let low = 0;
    let high = this.messages.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.messages[middle]?.seq ?? Infinity) < seq) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
