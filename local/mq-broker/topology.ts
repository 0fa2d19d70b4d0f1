import type { LogSink } from './core';
import { MqError, invalidArgument } from './errors';
import { checkGroupName, checkTopicName } from './http/params';

/** Aliyun's topic types (protocol note 8.9). Recorded, not enforced: the note names no error for a mismatch. */
export const TOPIC_KINDS = ['normal', 'delayed', 'ordered', 'transactional'] as const;
export type TopicKind = (typeof TOPIC_KINDS)[number];
export type DeclaredTopic = { name: string; kind: TopicKind };

/** What exists at start: every listed topic and group exists in every listed instance. */
export type TopologyDeclaration = {
  /** Instance ids (`ns`); '' is the default instance, which requests without `ns` address. */
  instances: string[];
  topics?: DeclaredTopic[];
  groups?: string[];
  /** Create unknown topics and groups (not instances) on first use, like RocketMQ's autoCreateTopicEnable. */
  autoCreateTopics?: boolean;
};

/** A topic created on first use has no declared kind. */
type KnownTopic = { kind: TopicKind | null };
type Instance = { topics: Map<string, KnownTopic>; groups: Set<string> };

export type TopologyView = {
  autoCreateTopics: boolean;
  instances: Array<{ instanceId: string; topics: Array<{ name: string; kind: TopicKind | null }>; groups: string[] }>;
};

const describeInstance = (id: string) => (id === '' ? 'the default instance (no ns)' : `instance ${id}`);

// The codes the SDKs know (protocol note 7.2: C++ constants, and the C# consume unmarshaller maps both); 404 is the
// MNS convention for "does not exist".
const topicNotExist = (instanceId: string, topic: string) =>
  new MqError('TopicNotExist', 404, `The topic ${topic} does not exist in ${describeInstance(instanceId)}.`);
const subscriptionNotExist = (instanceId: string, group: string) =>
  new MqError('SubscriptionNotExist', 404, `The group ${group} does not exist in ${describeInstance(instanceId)}.`);

/**
 * An unknown `ns` (a misspelt instance id, or none when the default instance is not declared) holds no topic and no
 * group: the request's topic (or group) does not exist there, TopicNotExist / SubscriptionNotExist (404), as the
 * project's issue on broker fidelity asks. The message lists the instances this broker has, to spot the typo.
 */
const inUnknownInstance = (error: MqError, known: string[]) =>
  new MqError(error.code, error.status, `${error.message} This broker has ${known.map((id) => (id === '' ? '(default, no ns)' : id)).join(', ')}.`);

/** The instances, topics and groups that exist, as the Aliyun console would list them. */
export class Topology {
  private readonly instances = new Map<string, Instance>();
  readonly autoCreateTopics: boolean;

  constructor(
    declaration: TopologyDeclaration,
    private readonly log: LogSink,
  ) {
    if (declaration.instances.length === 0) throw new Error("instances must list at least one instance id ('' for the default instance)");
    this.autoCreateTopics = declaration.autoCreateTopics ?? false;
    for (const instanceId of declaration.instances) {
      for (const topic of declaration.topics ?? []) this.declareTopic(instanceId, topic.name, topic.kind);
      for (const group of declaration.groups ?? []) this.declareGroup(instanceId, group);
      this.ensureInstance(instanceId);
    }
  }

  /** Declares a topic (and its instance); false when it already existed. A different kind is an error. */
  declareTopic(instanceId: string, name: string, kind: TopicKind): boolean {
    checkTopicName(name);
    if (!TOPIC_KINDS.includes(kind)) throw invalidArgument(`The topic kind "${String(kind)}" is invalid: use ${TOPIC_KINDS.join(', ')}.`);
    const topics = this.ensureInstance(instanceId).topics;
    const existing = topics.get(name);
    if (existing?.kind && existing.kind !== kind) throw invalidArgument(`The topic ${name} is already declared as ${existing.kind}.`);
    topics.set(name, { kind });
    return existing === undefined;
  }

  /** Declares a group (and its instance); false when it already existed. */
  declareGroup(instanceId: string, name: string): boolean {
    checkGroupName(name);
    const groups = this.ensureInstance(instanceId).groups;
    if (groups.has(name)) return false;
    groups.add(name);
    return true;
  }

  /** Refuses a request to an unknown instance or topic, unless auto-creation creates the topic now. */
  requireTopic(instanceId: string, name: string): void {
    const instance = this.knownInstance(instanceId, () => topicNotExist(instanceId, name));
    if (instance.topics.has(name)) return;
    if (!this.autoCreateTopics) throw topicNotExist(instanceId, name);
    instance.topics.set(name, { kind: null });
    this.log({ level: 'info', event: 'mq.topic-auto-created', instanceId, topic: name });
  }

  /** Refuses an unknown group, unless auto-creation creates it now. */
  requireGroup(instanceId: string, name: string): void {
    const instance = this.knownInstance(instanceId, () => subscriptionNotExist(instanceId, name));
    if (instance.groups.has(name)) return;
    if (!this.autoCreateTopics) throw subscriptionNotExist(instanceId, name);
    instance.groups.add(name);
    this.log({ level: 'info', event: 'mq.group-auto-created', instanceId, group: name });
  }

  view(): TopologyView {
    return {
      autoCreateTopics: this.autoCreateTopics,
      instances: [...this.instances].map(([instanceId, { topics, groups }]) => ({
        instanceId,
        topics: [...topics].map(([name, { kind }]) => ({ name, kind })),
        groups: [...groups],
      })),
    };
  }

  private knownInstance(instanceId: string, missing: () => MqError): Instance {
    const instance = this.instances.get(instanceId);
    if (!instance) throw inUnknownInstance(missing(), [...this.instances.keys()]);
    return instance;
  }

  private ensureInstance(instanceId: string): Instance {
    let instance = this.instances.get(instanceId);
    if (!instance) {
      instance = { topics: new Map(), groups: new Set() };
      this.instances.set(instanceId, instance);
    }
    return instance;
  }
}
