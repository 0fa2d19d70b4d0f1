import type { ServerResponse } from 'node:http';
import type { BrokerCore } from '../core';
import { MqError, invalidArgument, invalidRequestUrl, messageNotExist, type HandleError } from '../errors';
import type { Address } from '../publish';
import { topicKey } from '../store/model';
import { parseTagFilter } from '../tags';
import type { Topology } from '../topology';
import type { Waiters } from '../waiters';
import { handleErrorsXml, messagesXml, parsePublishRequest, parseReceiptHandles, publishResultXml, type DeliveredMessage } from '../xml';
import { checkGroupName, checkTopicName, numOfMessages, waitSeconds } from './params';
import type { Reply } from './reply';

export type TopicRequest = {
  method: string;
  topic: string;
  query: URLSearchParams;
  body: Buffer;
  /** Closed when the client goes away: a held long poll then stops waiting. */
  res: ServerResponse;
};

export type Broker = { core: BrokerCore; waiters: Waiters; topology: Topology };

/** `/topics/{topic}/messages`: POST publishes, GET consumes (`trans=order|pop`), DELETE acks (`trans=commit|rollback`). */
export function handleTopicRequest(broker: Broker, request: TopicRequest): Reply | Promise<Reply> {
  const topic = checkTopicName(request.topic);
  const instanceId = request.query.get('ns') ?? '';
  broker.topology.requireTopic(instanceId, topic);
  const address: Address = { key: topicKey(instanceId, topic), instanceId, topic };
  const trans = request.query.get('trans');
  switch (request.method) {
    case 'POST':
      return { status: 201, xml: publishResultXml(broker.core.publish(address, parsePublishRequest(request.body.toString('utf8')))) };
    case 'GET':
      return consume(broker, address, request, trans);
    case 'DELETE':
      return acknowledge(broker, address, request, trans);
    default:
      throw invalidRequestUrl(`${request.method} /topics/${topic}/messages`);
  }
}

/** The `consumer` parameter: a well-formed group id that exists in the instance. */
function groupOf(broker: Broker, address: Address, request: TopicRequest): string {
  const group = checkGroupName(request.query.get('consumer'));
  broker.topology.requireGroup(address.instanceId, group);
  return group;
}

function consume(broker: Broker, address: Address, request: TopicRequest, trans: string | null): Reply | Promise<Reply> {
  const group = groupOf(broker, address, request);
  const limit = numOfMessages(request.query.get('numOfMessages'));
  const wait = waitSeconds(request.query.get('waitseconds'));
  const filter = parseTagFilter(request.query.get('tag'));
  let take: () => DeliveredMessage[];
  if (trans === null) take = () => broker.core.consume(address, group, 'concurrently', filter, limit);
  else if (trans === 'order') take = () => broker.core.consume(address, group, 'orderly', filter, limit);
  else if (trans === 'pop') take = () => broker.core.popHalf(address, group, limit);
  else throw invalidArgument(`The value of trans should be order or pop for a consume, got "${trans}".`);
  const messages = take();
  if (messages.length > 0) return { status: 200, xml: messagesXml(messages) };
  if (wait === 0) throw messageNotExist();
  return longPoll(broker.waiters, address.key, take, wait * 1000, request.res);
}

/** Holds the request until messages can be taken or the wait ends; "nothing" is the MessageNotExist error. */
function longPoll(waiters: Waiters, key: string, take: () => DeliveredMessage[], waitMs: number, res: ServerResponse): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      remove();
    };
    const timer = setTimeout(() => {
      stop();
      reject(messageNotExist());
    }, waitMs);
    const remove = waiters.add(key, {
      tryServe: () => {
        if (res.destroyed) return false;
        const messages = take();
        if (messages.length === 0) return false;
        stop();
        resolve({ status: 200, xml: messagesXml(messages) });
        return true;
      },
    });
    res.once('close', stop);
  });
}

function acknowledge(broker: Broker, address: Address, request: TopicRequest, trans: string | null): Reply {
  const handles = parseReceiptHandles(request.body.toString('utf8'));
  if (handles.length === 0) throw new MqError('MissingReceiptHandle', 400, 'ReceiptHandle is required.');
  let errors: HandleError[];
  if (trans === null) errors = broker.core.ack(address, groupOf(broker, address, request), handles);
  // Commit and rollback need no group: the Go SDK sends an empty one (protocol note 1.2).
  else if (trans === 'commit' || trans === 'rollback') errors = broker.core.resolveHalf(address, handles, trans);
  else throw invalidArgument(`The value of trans should be commit or rollback for a delete, got "${trans}".`);
  // Partial failure is 404 + <Errors> listing only the failed handles; the SDK resolves it, it does not throw.
  return errors.length === 0 ? { status: 204 } : { status: 404, xml: handleErrorsXml(errors) };
}
