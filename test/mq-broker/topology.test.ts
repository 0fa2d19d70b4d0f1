import { LOCAL_MQ_INSTANCE_ID } from '../../local/services/backing';
import { autoCreateTopicsFromEnv, localMqTopology } from '../../local/services/mq-topology';
import { consumerGroups, topics, type ConsumerGroupKey, type TopicKey } from '../../shared/messages/contracts';
import { receive, sdkError, signedRequest, startTestBroker, unique, type TestBroker } from './helpers';
import { props, type SdkClient } from './sdk';

const NS = LOCAL_MQ_INSTANCE_ID;
/** The local stack's declaration, with the contracts' default names. */
const declared = localMqTopology({ MQ_INSTANCE_ID: NS });

let t: TestBroker;
let client: SdkClient;
beforeAll(async () => {
  t = await startTestBroker({ topology: declared });
  client = t.client();
});
afterAll(() => t.broker.close());

const USER_TOPIC = topics.user.defaultName;
const COUPON_GROUP = consumerGroups.newUserCoupon.defaultName;

describe('a broker that knows only the declared topology', () => {
  it('refuses a publish to an undeclared topic with TopicNotExist (404) through the real SDK', async () => {
    const error = await sdkError(client.getProducer(NS, 'wx_shop_usr').publishMessage('misspelt'));
    expect(error.Code).toBe('TopicNotExist');
    expect(error.message).toContain('failed with 404');
    expect(error.message).toContain('wx_shop_usr');
    expect(t.broker.topics().map((s) => s.topic)).not.toContain('wx_shop_usr');
  });

  it('refuses a consume, an orderly consume and an ack on an undeclared topic with TopicNotExist', async () => {
    const consumer = client.getConsumer(NS, 'wx_shop_usr', COUPON_GROUP);
    expect((await sdkError(consumer.consumeMessage(1))).Code).toBe('TopicNotExist');
    expect((await sdkError(consumer.consumeMessageOrderly(1))).Code).toBe('TopicNotExist');
    expect((await sdkError(consumer.ackMessage(['00000000000000000000000000000000-MQ==']))).Code).toBe('TopicNotExist');
  });

  it('answers the XML <Error> body the SDK throws on, with status 404', async () => {
    const response = await signedRequest(t.broker.url, 'GET', `/topics/no_such_topic/messages?consumer=${COUPON_GROUP}&ns=${NS}&numOfMessages=1`);
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe('text/xml;charset=utf-8');
    expect(response.body).toMatch(/<Error xmlns="http:\/\/mq.aliyuncs.com\/doc\/v1">\n {2}<Code>TopicNotExist<\/Code>/);
  });

  it('refuses an unknown instance id, and a request without ns when the default instance is not declared, with TopicNotExist (404)', async () => {
    const wrongNs = await sdkError(client.getProducer('MQ_INST_typo', USER_TOPIC).publishMessage('x'));
    expect(wrongNs.Code).toBe('TopicNotExist');
    expect(wrongNs.message).toContain('failed with 404');
    expect((await sdkError(client.getConsumer('MQ_INST_typo', USER_TOPIC, COUPON_GROUP).consumeMessage(1))).Code).toBe('TopicNotExist');
    expect((await sdkError(client.getProducer('', USER_TOPIC).publishMessage('x'))).Code).toBe('TopicNotExist');
  });

  it('refuses a consume or an ack by an undeclared group with SubscriptionNotExist, on a declared topic', async () => {
    const stranger = client.getConsumer(NS, USER_TOPIC, 'GID_not_declared');
    const consume = await sdkError(stranger.consumeMessage(1));
    expect(consume.Code).toBe('SubscriptionNotExist');
    expect(consume.message).toContain('failed with 404');
    expect((await sdkError(stranger.ackMessage(['00000000000000000000000000000000-MQ==']))).Code).toBe('SubscriptionNotExist');
    expect((await sdkError(client.getTransProducer(NS, topics.orderTx.defaultName, 'GID_not_declared').consumeHalfMessage(1))).Code).toBe('SubscriptionNotExist');
  });

  // Which group consumes which topic in the functions; `satisfies` makes a new topic fail to compile until added.
  const consumerOf = {
    user: 'newUserCoupon',
    store: 'storeCache',
    orderTimeout: 'orderTimeout',
    orderStatus: 'orderNotice',
    orderTx: 'refundExecutor',
  } as const satisfies Record<TopicKey, ConsumerGroupKey>;

  it.each(Object.keys(topics) as TopicKey[])('declares the contracts\' topic %s: publish and consume of its kind succeed', async (key) => {
    const { kind, defaultName: topic } = topics[key];
    const group = consumerGroups[consumerOf[key]].defaultName;
    const body = `${key} ${Date.now()}`;
    if (kind === 'transactional') {
      const producer = client.getTransProducer(NS, topic, consumerGroups.orderTxProducer.defaultName);
      const half = await producer.publishMessage(body, 'Tx', props((p) => p.transCheckImmunityTime(10)));
      expect((await producer.commit(half.body?.ReceiptHandle ?? '')).code).toBe(204);
      expect((await sdkError(producer.consumeHalfMessage(1))).Code).toBe('MessageNotExist');
    } else {
      const properties = props((p) => {
        if (kind === 'ordered') p.shardingKey('order-1');
        if (kind === 'delayed') p.startDeliverTime(Date.now());
      });
      expect((await client.getProducer(NS, topic).publishMessage(body, 'Tag', properties)).code).toBe(201);
    }
    const consumer = client.getConsumer(NS, topic, group);
    const [message] = await receive(() => (kind === 'ordered' ? consumer.consumeMessageOrderly(1, 1) : consumer.consumeMessage(1, 1)), 1);
    expect(message?.MessageBody).toBe(body);
    expect((await consumer.ackMessage([message?.ReceiptHandle ?? ''])).code).toBe(204);
  });

  it('lists every contract topic with its kind and every group at GET /__admin/topology', async () => {
    const view = (await (await fetch(`${t.broker.url}/__admin/topology`)).json()) as any;
    expect(view.autoCreateTopics).toBe(false);
    expect(view.instances).toHaveLength(1);
    expect(view.instances[0].instanceId).toBe(NS);
    expect(view.instances[0].topics).toEqual(Object.values(topics).map((topic) => ({ name: topic.defaultName, kind: topic.kind })));
    expect(view.instances[0].groups).toEqual(Object.values(consumerGroups).map((group) => group.defaultName));
  });
});

describe('the local stack broker (jest global setup, local/services/backing.ts)', () => {
  it('declares the contracts\' topics and groups in the instance it gives the functions', async () => {
    const view = (await (await fetch(`${process.env.MQ_ENDPOINT}/__admin/topology`)).json()) as any;
    expect(process.env.MQ_INSTANCE_ID).toBe(NS);
    expect(view).toEqual({ autoCreateTopics: false, instances: [{ instanceId: NS, topics: declared.topics, groups: declared.groups }] });
  });
});

describe('declaring more through the admin routes', () => {
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${t.broker.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as any };
  };

  it('POST /__admin/topics and /__admin/groups declare a topic and a group; declaring again changes nothing', async () => {
    const topic = unique('T_admin');
    expect((await sdkError(client.getProducer(NS, topic).publishMessage('x'))).Code).toBe('TopicNotExist');
    expect(await post('/__admin/topics', { instanceId: NS, topic, kind: 'normal' })).toEqual({ status: 201, body: { instanceId: NS, topic, kind: 'normal' } });
    expect((await post('/__admin/topics', { instanceId: NS, topic })).status).toBe(200);
    expect(await post('/__admin/groups', { instanceId: NS, group: 'GID_admin' })).toEqual({ status: 201, body: { instanceId: NS, group: 'GID_admin' } });
    expect((await client.getProducer(NS, topic).publishMessage('declared')).code).toBe(201);
    expect((await client.getConsumer(NS, topic, 'GID_admin').consumeMessage(1)).body?.[0]?.MessageBody).toBe('declared');
    const view = (await (await fetch(`${t.broker.url}/__admin/topology`)).json()) as any;
    expect(view.instances[0].topics.filter((d: { name: string }) => d.name === topic)).toEqual([{ name: topic, kind: 'normal' }]);
  });

  it('declaring a topic in a new instance creates the instance; other instances still do not see the topic', async () => {
    const topic = unique('T_admin_ns');
    expect((await post('/__admin/topics', { instanceId: 'MQ_INST_admin', topic, kind: 'ordered' })).status).toBe(201);
    expect((await client.getProducer('MQ_INST_admin', topic).publishMessage('x', '', props((p) => p.shardingKey('k')))).code).toBe(201);
    expect((await sdkError(client.getProducer(NS, topic).publishMessage('x'))).Code).toBe('TopicNotExist');
  });

  it('answers 400 with {code, message} for a bad name, an unknown kind, a kind conflict or a body that is not JSON', async () => {
    expect(await post('/__admin/topics', { instanceId: NS, topic: 'a b' })).toEqual({ status: 400, body: { code: 'InvalidArgument', message: expect.stringContaining('a b') } });
    expect((await post('/__admin/topics', { instanceId: NS, topic: 'T_kind', kind: 'fifo' })).body.message).toContain('fifo');
    expect((await post('/__admin/topics', { instanceId: NS, topic: USER_TOPIC, kind: 'ordered' })).body.message).toContain('already declared as normal');
    expect((await post('/__admin/groups', { instanceId: NS, group: 'not-a-gid' })).status).toBe(400);
    expect((await post('/__admin/groups', { group: 'GID_no_instance' })).body).toEqual({ code: 'INVALID_REQUEST', message: '"instanceId" must be a string' });
    const notJson = await fetch(`${t.broker.url}/__admin/topics`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as any).code).toBe('INVALID_REQUEST');
  });
});

describe('auto-creation (MQ_AUTO_CREATE_TOPICS=true)', () => {
  it('creates an unknown topic and group on first use and logs it, but never an unknown instance', async () => {
    const auto = await startTestBroker({ topology: localMqTopology({ MQ_INSTANCE_ID: NS }, true) });
    try {
      const topic = unique('T_auto');
      expect((await auto.client().getProducer(NS, topic).publishMessage('made up')).code).toBe(201);
      const consumed = await auto.client().getConsumer(NS, topic, 'GID_made_up').consumeMessage(1);
      expect(consumed.body?.[0]?.MessageBody).toBe('made up');
      expect(auto.logs).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ event: 'mq.topic-auto-created', instanceId: NS, topic }),
          expect.objectContaining({ event: 'mq.group-auto-created', instanceId: NS, group: 'GID_made_up' }),
        ]),
      );
      expect(auto.broker.topology().instances[0]?.topics).toContainEqual({ name: topic, kind: null });
      // Auto-creation makes topics and groups, never instances.
      expect((await sdkError(auto.client().getProducer('MQ_INST_typo', topic).publishMessage('x'))).Code).toBe('TopicNotExist');
    } finally {
      await auto.broker.close();
    }
  });

  it('is off unless asked for: MQ_AUTO_CREATE_TOPICS accepts only "true", "false" or nothing', () => {
    expect([undefined, '', 'false', 'true'].map((value) => autoCreateTopicsFromEnv({ MQ_AUTO_CREATE_TOPICS: value }))).toEqual([false, false, false, true]);
    expect(() => autoCreateTopicsFromEnv({ MQ_AUTO_CREATE_TOPICS: 'yes' })).toThrow(/MQ_AUTO_CREATE_TOPICS must be "true" or "false"/);
  });
});
