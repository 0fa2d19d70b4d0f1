import { createHash } from 'node:crypto';
import { receive, sdkError, signedRequest, startTestBroker, unique, type TestBroker } from './helpers';
import { props, type SdkClient } from './sdk';

let t: TestBroker;
let client: SdkClient;
beforeAll(async () => {
  t = await startTestBroker({ invisibilitySeconds: 30 });
  client = t.client();
});
afterAll(() => t.broker.close());

const md5Upper = (text: string) => createHash('md5').update(text, 'utf8').digest('hex').toUpperCase();
const INSTANCE = 'MQ_INST_123_test';

describe('publish and consume through the real SDK', () => {
  it('publishes a tagged, keyed message with properties and consumes it with every field in the documented form', async () => {
    const topic = unique('T_pub');
    const body = 'hello <&> "x" \'y\' 中文';
    const published = await client.getProducer(INSTANCE, topic).publishMessage(body, 'TagA', props((p) => (p.messageKey('order-1'), p.putProperty('a', '1'))));
    expect(published.code).toBe(201);
    expect(published.requestId).toMatch(/^[0-9A-F]{24}$/);
    expect(published.body?.MessageId).toMatch(/^[0-9A-F]{32}$/);
    expect(published.body?.MessageBodyMD5).toBe(md5Upper(body));
    expect(published.body).not.toHaveProperty('ReceiptHandle');

    const before = Date.now();
    const consumed = await client.getConsumer(INSTANCE, topic, 'GID_pub').consumeMessage(16, 1);
    const [message] = consumed.body ?? [];
    expect(consumed.code).toBe(200);
    expect(consumed.body).toHaveLength(1);
    expect(message).toMatchObject({
      MessageId: published.body?.MessageId,
      MessageBodyMD5: md5Upper(body),
      MessageBody: body,
      ConsumedTimes: '1',
      MessageTag: 'TagA',
      MessageKey: 'order-1',
      Properties: { a: '1' },
    });
    expect(message?.ReceiptHandle).toMatch(new RegExp(`^${published.body?.MessageId}-[A-Za-z0-9+/]+=*$`));
    for (const field of ['PublishTime', 'FirstConsumeTime', 'NextConsumeTime'] as const) expect(message?.[field]).toMatch(/^\d{13}$/);
    expect(Number(message?.FirstConsumeTime)).toBeGreaterThanOrEqual(before - 5);
    expect(Number(message?.NextConsumeTime) - Number(message?.FirstConsumeTime)).toBe(30_000);
  });

  it('answers an empty short poll at once with the MessageNotExist error the SDK throws', async () => {
    const started = Date.now();
    const error = await sdkError(client.getConsumer('', unique('T_empty'), 'GID_empty').consumeMessage(16));
    expect(error.Code).toBe('MessageNotExist');
    expect(error.message).toContain('failed with 404');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('writes the headers, declaration and namespaces of the real service', async () => {
    const topic = unique('T_raw');
    await client.getProducer('', topic).publishMessage('raw');
    const target = `/topics/${topic}/messages?consumer=GID_raw&numOfMessages=1`;
    const hit = await signedRequest(t.broker.url, 'GET', target);
    expect(hit.status).toBe(200);
    expect(hit.headers).toMatchObject({ 'content-type': 'text/xml;charset=utf-8', 'x-mq-version': '2015-06-06' });
    expect(hit.headers['x-mq-request-id']).toMatch(/^[0-9A-F]{24}$/);
    expect(hit.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Messages xmlns="http:\/\/mq.aliyuncs.com\/doc\/v1\/"><Message>/);
    const miss = await signedRequest(t.broker.url, 'GET', target);
    expect(miss.status).toBe(404);
    expect(miss.body).toMatch(/^<\?xml version="1.0" \?>\n<Error xmlns="http:\/\/mq.aliyuncs.com\/doc\/v1">\n/);
    expect(miss.body).toContain(`<RequestId>${String(miss.headers['x-mq-request-id'])}</RequestId>`);
    expect(miss.body).toContain(`<HostId>${t.broker.url}</HostId>`);
  });

  it.each([
    ['numOfMessages 0', 0, undefined],
    ['numOfMessages 17', 17, undefined],
    ['waitseconds 31', 1, 31],
    ['no numOfMessages (the SDK sends "undefined")', undefined, undefined],
  ])('rejects %s with 400 InvalidArgument', async (_, count, wait) => {
    const error = await sdkError(client.getConsumer('', unique('T_args'), 'GID_args').consumeMessage(count, wait));
    expect(error.Code).toBe('InvalidArgument');
    expect(error.message).toContain('failed with 400');
  });

  it('accepts the limits themselves, 16 messages and 30 s', async () => {
    const topic = unique('T_limits');
    await client.getProducer('', topic).publishMessage('x');
    expect((await client.getConsumer('', topic, 'GID_limits').consumeMessage(16, 30)).body).toHaveLength(1);
  });

  it('filters by tag: A||B gets only those tags, no filter and * get everything, untagged included', async () => {
    const topic = unique('T_tags');
    const producer = client.getProducer('', topic);
    for (const tag of ['A', 'B', 'C', '']) await producer.publishMessage(`body-${tag || 'none'}`, tag);
    const bodies = async (group: string, tag?: string) =>
      (await client.getConsumer('', topic, group, tag).consumeMessage(16)).body?.map((m) => m.MessageBody).sort();
    expect(await bodies('GID_tags_ab', 'A||B')).toEqual(['body-A', 'body-B']);
    expect(await bodies('GID_tags_all')).toEqual(['body-A', 'body-B', 'body-C', 'body-none']);
    expect(await bodies('GID_tags_star', '*')).toEqual(['body-A', 'body-B', 'body-C', 'body-none']);
  });

  it('gives every group every message, and each message to one consumer of a group', async () => {
    const topic = unique('T_groups');
    for (let i = 0; i < 6; i++) await client.getProducer('', topic).publishMessage(`m${i}`);
    const [first, second] = await Promise.all([1, 2].map(() => client.getConsumer('', topic, 'GID_split').consumeMessage(3)));
    const split = [...(first?.body ?? []), ...(second?.body ?? [])].map((m) => m.MessageBody);
    expect(split.sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    const other = await client.getConsumer('', topic, 'GID_other').consumeMessage(16);
    expect(other.body?.map((m) => m.MessageBody)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
  });

  it('keeps instances apart: the same topic name under another ns or no ns is another topic', async () => {
    const topic = unique('T_ns');
    await client.getProducer('MQ_INST_1', topic).publishMessage('in-1');
    await client.getProducer('', topic).publishMessage('default');
    const read = async (ns: string) => (await client.getConsumer(ns, topic, 'GID_ns').consumeMessage(16)).body?.map((m) => m.MessageBody);
    expect(await read('MQ_INST_1')).toEqual(['in-1']);
    expect(await read('')).toEqual(['default']);
    expect((await sdkError(client.getConsumer('MQ_INST_2', topic, 'GID_ns').consumeMessage(16))).Code).toBe('MessageNotExist');
  });

  it('with auto-creation, creates topics and groups on first use; a new group starts at the oldest retained message', async () => {
    const topic = unique('T_first');
    await client.getProducer(INSTANCE, topic).publishMessage('before the group existed');
    expect(t.broker.topics().find((s) => s.topic === topic)?.groups).toEqual([]);
    const consumed = await client.getConsumer(INSTANCE, topic, 'GID_late').consumeMessage(1);
    expect(consumed.body?.[0]?.MessageBody).toBe('before the group existed');
    expect(t.broker.topics().find((s) => s.topic === topic)).toEqual({
      instanceId: INSTANCE,
      topic,
      messages: 1,
      halfMessages: 0,
      groups: [{ group: 'GID_late', inFlight: 1, waiting: 0 }],
    });
  });

  it('reads the Java shape (entity-escaped, no Content-MD5, trailing |) and the Go shape (no namespace nor declaration)', async () => {
    const topic = unique('T_shapes');
    const java =
      '<?xml version="1.0" encoding="UTF-8"?><Message xmlns="http://mq.aliyuncs.com/doc/v1"><MessageBody>java &lt;&amp;&gt; &#20013; ]]&gt;</MessageBody>' +
      '<MessageTag>J</MessageTag><Properties>KEYS:k-java|p:1|</Properties></Message>';
    const go = '<Message><MessageBody>go body</MessageBody><MessageTag>G</MessageTag><Properties>__SHARDINGKEY:s1|</Properties></Message>';
    expect((await signedRequest(t.broker.url, 'POST', `/topics/${topic}/messages`, java, { contentMd5: 'none' })).status).toBe(201);
    expect((await signedRequest(t.broker.url, 'POST', `/topics/${topic}/messages`, go)).status).toBe(201);
    const messages = await receive(() => client.getConsumer('', topic, 'GID_shapes').consumeMessage(16), 2);
    expect(messages.map((m) => [m.MessageBody, m.MessageTag, m.MessageKey, m.ShardingKey, m.Properties])).toEqual([
      ['java <&> 中 ]]>', 'J', 'k-java', undefined, { p: '1' }],
      ['go body', 'G', undefined, 's1', {}],
    ]);
    const goAck = `<ReceiptHandles><ReceiptHandle>${messages[0]?.ReceiptHandle}</ReceiptHandle></ReceiptHandles>`;
    expect((await signedRequest(t.broker.url, 'DELETE', `/topics/${topic}/messages?consumer=GID_shapes`, goAck)).status).toBe(204);
  });

  it('rejects a publish without body or with a malformed start time as 400 InvalidArgument, bad XML as MalformedXML', async () => {
    const producer = client.getProducer('', unique('T_bad'));
    expect((await sdkError(producer.publishMessage(''))).Code).toBe('InvalidArgument');
    expect((await sdkError(producer.publishMessage('x', '', props((p) => p.startDeliverTime('soon'))))).Code).toBe('InvalidArgument');
    const broken = await signedRequest(t.broker.url, 'POST', `/topics/${unique('T_bad')}/messages`, '<Message><MessageBody>x</Message>');
    expect(broken.status).toBe(400);
    expect(broken.body).toContain('<Code>MalformedXML</Code>');
  });
});
