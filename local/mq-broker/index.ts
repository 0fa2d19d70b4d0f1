/**
 * A local stand-in for Aliyun RocketMQ 4.x over HTTP, spoken well enough for the unmodified
 * `@aliyunmq/mq-http-sdk@1.0.4`. The facts it follows are in docs/protocols/aliyun-mq-http-protocol.md
 * ("the note", drawn from Aliyun's public HTTP API pages and the SDK's source). Where the note is silent or unsure, this broker decides as follows:
 *
 * - Groups start at the oldest retained message of the topic: a group's first poll sees what was published before
 *   it existed, so a consumer started after its producer loses nothing. Retention is 3 days from delivery time.
 * - A due message that a group's tag filter rejects counts as consumed by that group, as RocketMQ's broker-side tag
 *   filter skips it. Untagged messages match only "no filter" or `*`.
 * - Handles: `<MessageId>-<base64>`. Garbage is `ReceiptHandleError`; a well-formed handle that is stale, already
 *   used, past NextConsumeTime, or of another group is `MessageNotExist`. A handle expires at NextConsumeTime even if
 *   the message has not been redelivered yet. An ack batch is not capped at 16 (the SDK sends any number).
 * - Dead letters: after `maxDeliveries` deliveries (default 16, RocketMQ's retry default and this project's policy;
 *   Aliyun documents 288 retries for HTTP, which no local run would ever reach) the last invisibility expires and
 *   the message moves to the dead-letter list, with one JSON log line. Ordered partitions then move on to the next
 *   message. Dead letters are kept (Aliyun discards them unless retention is enabled).
 * - Ordered: messages without `__SHARDINGKEY` are unordered, each its own partition. A partition whose oldest
 *   pending message is delayed stays closed until it is due, so nothing overtakes it. Concurrent and ordered
 *   consumes may be mixed on a topic (real topics are typed; this broker records a declared kind, unenforced).
 * - Transactional: `__TransCheckT` must be an integer in 10..300 (`minTransCheckSeconds` lowers the floor for
 *   tests), else 400 InvalidArgument, rather than being clamped: a value the real service might refuse must fail
 *   here too. A half message may not also be delayed. `trans=pop` serves any group; commit and rollback do not need
 *   a `consumer` (the Go SDK sends an empty one). A popped message is offered again every check-back interval and
 *   its handle stays valid for `popHandleValiditySeconds` (default: the interval). Still unresolved 24 h after its
 *   first check-back was due, it is discarded like a rollback (as open-source RocketMQ does) and logged. Half and
 *   committed messages keep `__TransCheckT` in their Properties (the Go SDK parses it back, which suggests the real
 *   service echoes it; the Node SDK then reports it as StartDeliverTime, its known bug).
 * - Validation errors not named by the docs are 400 `InvalidArgument`: an empty body, a non-integer
 *   `__STARTDELIVERTIME` or one more than 40 days ahead, bodies over 4 MB (64 KB when delayed or transactional),
 *   properties over 16 KB, topic names outside 3-64 `[A-Za-z0-9_-]`, group ids not `GID_`/`GID-` + 5-64 such chars.
 *   An unknown path or method is 400 `InvalidRequestURL`. Date skew over 15 minutes is 408 `TimeExpired`.
 * - Authentication runs before routing, over the raw request target, so an endpoint with a trailing slash fails
 *   with `SignatureDoesNotMatch` as on a strict server. `security-token` is accepted and ignored (not signed).
 * - `<Errors>` (ack/commit/rollback) uses the success namespace with the slash, as in the note's sample 9.3;
 *   `<Error>` uses the namespace without it.
 * - Server sockets are never idle-timed out (the SDK reuses keep-alive sockets indefinitely).
 * - Topology: like the real service, the broker knows only the instances, topics and groups declared at start
 *   (`topology`; the local stack declares the contracts' names, `shared/messages/contracts.ts` `declaredTopology`) or
 *   later through `POST /__admin/topics` and `POST /__admin/groups` (the console's job; unsigned, loopback only). A
 *   publish or consume on another topic is 404 `TopicNotExist`; a consume or ack by another group is 404
 *   `SubscriptionNotExist` (the codes of note 7.2; the C# SDK's consume maps both; 404 is the MNS convention). Commit
 *   and rollback check no group (the Go SDK sends none). An undeclared `ns` (or none, when the default instance is not
 *   declared) holds no topic: 404 `TopicNotExist` (`SubscriptionNotExist` for a group-only request), its message
 *   listing the instances the broker has; the note names no code for it, and the project's broker-fidelity issue
 *   asks for TopicNotExist. Checks run in that order: instance, topic, group. Kinds are recorded, not enforced (the
 *   note names no error for a kind mismatch). `autoCreateTopics` (env `MQ_AUTO_CREATE_TOPICS=true`, off by
 *   default), like RocketMQ's autoCreateTopicEnable, creates unknown topics and groups on first use, never
 *   instances, for tools that make up their own names. Declarations are configuration, not data: the journal does
 *   not keep them, and a restart knows what its options (and later declarations) say.
 *
 * Persistence (`dataDir`): every state change is an event, appended as one JSON line to `journal.ndjson` and then
 * applied in memory; publishes and commits are fdatasync'ed before they are answered (other events are written but
 * not synced: losing one on a power cut only repeats a delivery). Start-up replays the journal
 * (ignoring a torn last line) and rewrites it as a compact snapshot; it is compacted again when it grows far beyond
 * the live state.
 */
import { type AddressInfo } from 'node:net';
import type { BrokerConfig } from './config';
import { BrokerCore, type LogSink } from './core';
import { createBrokerServer } from './http/server';
import { fileJournal, memoryJournal, readJournal } from './journal';
import { listDeadLetters, topicStats, type DeadLetter, type DeadLetterFilter, type TopicStats } from './stats';
import { Topology, type TopologyDeclaration, type TopologyView } from './topology';
import { Waiters } from './waiters';

export type { DeadLetter, DeadLetterFilter, TopicStats } from './stats';
export type { DeclaredTopic, TopicKind, TopologyDeclaration, TopologyView } from './topology';

export type MqBrokerOptions = {
  /** 0 or absent = a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** accessKeyId -> accessKeySecret. */
  accessKeys: Record<string, string>;
  /** The instances, topics and groups that exist; anything else is refused (see the choices above). */
  topology: TopologyDeclaration;
  /** Persistence folder; in memory when absent. */
  dataDir?: string;
  /** Invisibility after a normal consume (default 300 s). */
  invisibilitySeconds?: number;
  /** Invisibility after an ordered consume (default 60 s). */
  orderlyInvisibilitySeconds?: number;
  /** How often an unresolved half message is offered again to `trans=pop` (default 10 s). */
  halfCheckIntervalSeconds?: number;
  /** How long a `trans=pop` handle commits or rolls back (default: the check-back interval). */
  popHandleValiditySeconds?: number;
  /** After this long past its first check an unresolved half message is discarded (default 24 h). */
  halfCheckMaxSeconds?: number;
  /** Deliveries to one group before a message is dead-lettered (default 16). */
  maxDeliveries?: number;
  /** Lowest accepted `__TransCheckT` (default 10, the documented floor); tests lower it. */
  minTransCheckSeconds?: number;
  /** Messages and dead letters are forgotten this long after delivery time (default 3 days). */
  retentionSeconds?: number;
  /** Time source in ms; tests shift it to provoke a Date skew. Defaults to Date.now. */
  clock?: () => number;
  /** JSON log sink; default writes one JSON line to stdout. */
  log?: LogSink;
};

export type MqBroker = {
  /** `http://host:port`, the SDK endpoint (no trailing slash). */
  url: string;
  port: number;
  close(): Promise<void>;
  deadLetters(filter?: DeadLetterFilter): DeadLetter[];
  topics(): TopicStats[];
  /** What is declared now (start-up declaration, admin declarations, auto-created names). */
  topology(): TopologyView;
};

const HOUSEKEEPING_INTERVAL_MS = 60_000;

const defaultLog: LogSink = (entry) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${value}`);
  return value;
}

function resolveConfig(options: MqBrokerOptions): BrokerConfig {
  const halfCheckIntervalSeconds = positive('halfCheckIntervalSeconds', options.halfCheckIntervalSeconds, 10);
  const maxDeliveries = positive('maxDeliveries', options.maxDeliveries, 16);
  if (!Number.isInteger(maxDeliveries)) throw new Error(`maxDeliveries must be an integer, got ${maxDeliveries}`);
  return {
    invisibilityMs: positive('invisibilitySeconds', options.invisibilitySeconds, 300) * 1000,
    orderlyInvisibilityMs: positive('orderlyInvisibilitySeconds', options.orderlyInvisibilitySeconds, 60) * 1000,
    halfCheckIntervalMs: halfCheckIntervalSeconds * 1000,
    popHandleValidityMs: positive('popHandleValiditySeconds', options.popHandleValiditySeconds, halfCheckIntervalSeconds) * 1000,
    halfCheckMaxMs: positive('halfCheckMaxSeconds', options.halfCheckMaxSeconds, 24 * 3600) * 1000,
    maxDeliveries,
    minTransCheckSeconds: positive('minTransCheckSeconds', options.minTransCheckSeconds, 10),
    retentionMs: positive('retentionSeconds', options.retentionSeconds, 3 * 24 * 3600) * 1000,
    clock: options.clock ?? Date.now,
  };
}

/** Starts the broker (replaying `dataDir` when given); resolves once it listens. */
export async function startMqBroker(options: MqBrokerOptions): Promise<MqBroker> {
  if (Object.keys(options.accessKeys).length === 0) throw new Error('accessKeys must hold at least one access key');
  const config = resolveConfig(options);
  const log = options.log ?? defaultLog;
  const topology = new Topology(options.topology, log);
  const waiters = new Waiters();
  const core = new BrokerCore(config, options.dataDir ? fileJournal(options.dataDir) : memoryJournal(), waiters, log);
  if (options.dataDir) core.restore(readJournal(options.dataDir));
  const housekeeping = setInterval(() => core.housekeeping(), HOUSEKEEPING_INTERVAL_MS);
  housekeeping.unref();

  const server = createBrokerServer({ core, waiters, topology, accessKeys: options.accessKeys, clock: config.clock, log });
  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
  } catch (error) {
    clearInterval(housekeeping);
    core.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;
  log({ level: 'info', event: 'mq.broker-started', url, dataDir: options.dataDir ?? null });

  return {
    url,
    port,
    deadLetters: (filter) => listDeadLetters(core.store, filter),
    topics: () => topicStats(core.store, config.clock()),
    topology: () => topology.view(),
    close: async () => {
      clearInterval(housekeeping);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      core.close();
    },
  };
}
