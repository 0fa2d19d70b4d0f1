import { sign, stringToSign } from '../../local/mq-broker/signature';
import { ACCESS_KEY_SECRET, rawRequest, sdkError, signedRequest, startTestBroker, unique, type TestBroker } from './helpers';
import { MQClient } from './sdk';

let t: TestBroker;
beforeAll(async () => {
  t = await startTestBroker();
});
afterAll(() => t.broker.close());

const publishTarget = (topic: string) => `/topics/${topic}/messages`;

describe('request authentication', () => {
  it('signs the protocol note worked examples to the documented signatures', () => {
    const common = { date: 'Tue, 02 Jan 2024 03:04:05 GMT', 'x-mq-version': '2015-06-06', 'content-type': 'text/xml;charset=utf-8' };
    const post = stringToSign('POST', { ...common, 'content-md5': 'MTM4NmQ2YzdlZTk2ZTA0ZjlhNTg2M2MyNTQ0M2QzZTQ=' }, '/topics/T_normal/messages?ns=MQ_INST_123_test');
    expect(sign('testSK', post)).toBe('gKu4ZpVw61syFnBz6jSgm6YBnwE=');
    const get = stringToSign('GET', common, '/topics/T_normal/messages?consumer=GID_http_test&ns=MQ_INST_123_test&numOfMessages=3&waitseconds=3');
    expect(sign('testSK', get)).toBe('u9Kz5cAy3ZGkvec2Qr5oOF+9U3k=');
  });

  it('refuses a wrong secret with 403 SignatureDoesNotMatch, which the SDK throws, and logs what it signed', async () => {
    const error = await sdkError(t.client('wrong-secret').getProducer('', unique('T_auth')).publishMessage('x'));
    expect(error.Code).toBe('SignatureDoesNotMatch');
    expect(error.message).toContain('failed with 403');
    expect(error.RequestId).toMatch(/^[0-9A-F]{24}$/);
    const logged = t.logs.find((l) => l.event === 'mq.signature-mismatch' && l.requestId === error.RequestId);
    expect(logged?.stringToSign).toMatch(/^POST\n[A-Za-z0-9+/=]{44}\ntext\/xml;charset=utf-8\n.+ GMT\nx-mq-version:2015-06-06\n\/topics\//);
  });

  it('refuses an unknown access key with 403 InvalidAccessKeyId', async () => {
    const error = await sdkError(t.client(ACCESS_KEY_SECRET, 'nobody').getConsumer('', unique('T_auth'), 'GID_auth').consumeMessage(1));
    expect(error.Code).toBe('InvalidAccessKeyId');
    expect(error.message).toContain('failed with 403');
  });

  it('answers a request without Authorization with an XML 400 MissingAuthorizationHeader', async () => {
    const response = await rawRequest(t.broker.url, 'GET', `${publishTarget(unique('T_auth'))}?consumer=GID_a&numOfMessages=1`, { date: new Date().toUTCString() });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('text/xml;charset=utf-8');
    expect(response.body).toContain('<Error xmlns="http://mq.aliyuncs.com/doc/v1">');
    expect(response.body).toContain('<Code>MissingAuthorizationHeader</Code>');
  });

  it('rejects a Date more than 15 minutes off with 408 TimeExpired and accepts 10 minutes off', async () => {
    const ahead = await startTestBroker({ clock: () => Date.now() + 16 * 60_000 });
    const near = await startTestBroker({ clock: () => Date.now() - 10 * 60_000 });
    try {
      const topic = unique('T_skew');
      const error = await sdkError(ahead.client().getProducer('', topic).publishMessage('x'));
      expect(error.Code).toBe('TimeExpired');
      expect(error.message).toContain('failed with 408');
      expect((await near.client().getProducer('', topic).publishMessage('x')).code).toBe(201);
    } finally {
      await Promise.all([ahead.broker.close(), near.broker.close()]);
    }
  });

  it('fails an endpoint with a trailing slash: the SDK signs /topics but sends //topics', async () => {
    const client = new MQClient(`${t.broker.url}/`, 'test-access-key', ACCESS_KEY_SECRET);
    const error = await sdkError(client.getProducer('', unique('T_auth')).publishMessage('x'));
    expect(error.Code).toBe('SignatureDoesNotMatch');
  });

  it('accepts an STS security token, which is not part of the signature', async () => {
    const client = new MQClient(t.broker.url, 'test-access-key', ACCESS_KEY_SECRET, 'sts-token');
    expect((await client.getProducer('', unique('T_auth')).publishMessage('x')).code).toBe(201);
  });

  it('accepts the RFC 1864 Content-MD5 and no Content-MD5, and refuses a wrong one with 400 InvalidDigest', async () => {
    const target = publishTarget(unique('T_md5'));
    const body = '<Message><MessageBody>md5</MessageBody></Message>';
    expect((await signedRequest(t.broker.url, 'POST', target, body, { contentMd5: 'rfc' })).status).toBe(201);
    expect((await signedRequest(t.broker.url, 'POST', target, body, { contentMd5: 'none' })).status).toBe(201);
    const wrong = await signedRequest(t.broker.url, 'POST', target, body, { contentMd5: Buffer.from('0'.repeat(32)).toString('base64') });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toContain('<Code>InvalidDigest</Code>');
  });
});
