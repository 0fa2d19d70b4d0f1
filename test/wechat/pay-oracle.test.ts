// An independent implementation of WeChat Pay's signing (wechatpay-axios-plugin, by the author of the official PHP
// SDK) checks both our adapter and the stand-in, so that a misunderstanding shared by the two cannot pass unseen.
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Aes, Formatter, Rsa, Wechatpay } from 'wechatpay-axios-plugin';
import { createWechatPayGateway } from '../../shared/adapters/wechat/pay-gateway';
import { createPaymentNotificationVerifier } from '../../shared/adapters/wechat/pay-notification';
import type { PaymentNotificationRejectedError } from '../../shared/ports/payment-gateway';
import { startNotifyReceiver, type NotifyReceiver } from './support/notify-receiver';
import { merchantPaySettings, newOutTradeNo, startTestStandIn, type TestStandIn } from './support/stand-in';
import { notificationRejectionStatus } from '../../shared/lambda/http-errors';

// The plugin's typings declare AesGcm on a namespace its exported class does not carry.
const { AesGcm } = Aes as unknown as { AesGcm: { encrypt(plaintext: string, key: string, iv: string, aad: string): string; decrypt(ciphertext: string, key: string, iv: string, aad: string): string } };

let stub: TestStandIn;
let payerOpenid: string;

const pluginClient = (certs: Record<string, string> = { [stub.standIn.config.wechatpayPublicKeyId]: stub.standIn.config.wechatpayPublicKeyPem }) =>
  new Wechatpay({ mchid: stub.merchant.mchid, serial: stub.merchant.merchantSerialNo, privateKey: stub.merchant.merchantPrivateKeyPem, certs, baseURL: `${stub.standIn.url}/` } as any) as any;

const jsapiOrder = (outTradeNo: string, notifyUrl = 'http://127.0.0.1:9/wxpay/notify') => ({
  appid: stub.merchant.appid,
  mchid: stub.merchant.mchid,
  description: '独立实现交叉验证',
  out_trade_no: outTradeNo,
  time_expire: new Date(Date.now() + 600_000).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
  notify_url: notifyUrl,
  amount: { total: 100, currency: 'CNY' },
  payer: { openid: payerOpenid },
});

beforeAll(async () => {
  stub = await startTestStandIn({ notifyRetryCompression: 1_000 });
  payerOpenid = await stub.sandbox.newOpenid();
});
afterAll(() => stub.standIn.close());

describe('the plugin as a client of the stand-in', () => {
  it('is accepted by the stand-in and verifies its signed answers (prepay, query, 204 close)', async () => {
    const wxpay = pluginClient();
    const outTradeNo = newOutTradeNo('P');
    const prepay = await wxpay.v3.pay.transactions.jsapi.post(jsapiOrder(outTradeNo));
    expect(prepay.status).toBe(200);
    expect(prepay.data.prepay_id).toMatch(/^wx/);
    const query = await wxpay.v3.pay.transactions.outTradeNo.$out_trade_no$.get({ params: { mchid: stub.merchant.mchid }, out_trade_no: outTradeNo });
    expect(query.data).toEqual(expect.objectContaining({ out_trade_no: outTradeNo, trade_state: 'NOTPAY' }));
    const close = await wxpay.v3.pay.transactions.outTradeNo.$out_trade_no$.close.post({ mchid: stub.merchant.mchid }, { out_trade_no: outTradeNo });
    expect(close.status).toBe(204);
  });

  it('refuses the stand-in answers when it does not trust the key (so it really verifies)', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const error = await pluginClient({ [stub.standIn.config.wechatpayPublicKeyId]: publicKey })
      .v3.pay.transactions.jsapi.post(jsapiOrder(newOutTradeNo('P')))
      .catch((e: any) => e);
    expect(error.code).toBe('EV3_RES_HEADER_SIGNATURE_DIGEST');
  });

  it('refuses a SIGNTEST probe from the stand-in, as our client does', async () => {
    const outTradeNo = newOutTradeNo('P');
    await stub.sandbox.armPayFault({ operation: 'pay.prepay', outTradeNo, fault: 'SIGNTEST' });
    const error = await pluginClient().v3.pay.transactions.jsapi.post(jsapiOrder(outTradeNo)).catch((e: any) => e);
    expect(error.code).toBe('EV3_RES_HEADER_SIGNATURE_DIGEST');
  });
});

describe('the plugin checks our signatures', () => {
  let capture: Server;
  let captured: { method: string; url: string; headers: IncomingHttpHeaders; body: string } | undefined;

  beforeAll(async () => {
    capture = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        captured = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
        response.writeHead(500, { 'content-type': 'application/json' }).end('{"code":"SYSTEM_ERROR","message":"captured"}');
      });
    });
    await new Promise<void>((resolve) => capture.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise((resolve) => capture.close(resolve)));

  it.each([
    ['a GET with a query string', (gateway: any) => gateway.queryPayment('T-oracle_1')],
    ['a POST with a JSON body', (gateway: any) => gateway.closePayment('T-oracle_1')],
  ])('our Authorization on %s verifies with the plugin over what was actually sent', async (_, send) => {
    const { port } = capture.address() as AddressInfo;
    const gateway = createWechatPayGateway({ ...merchantPaySettings(stub), apiBaseUrl: `http://127.0.0.1:${port}` });
    await send(gateway).catch(() => undefined);
    const { method, url, headers, body } = captured!;
    const pairs = Object.fromEntries([...String(headers.authorization).matchAll(/(\w+)="([^"]*)"/g)].map(([, name, value]) => [name, value]));
    expect(String(headers.authorization).startsWith('WECHATPAY2-SHA256-RSA2048 ')).toBe(true);
    expect(pairs).toEqual(expect.objectContaining({ mchid: stub.merchant.mchid, serial_no: stub.merchant.merchantSerialNo }));
    const message = Formatter.request(method, url, pairs.timestamp!, pairs.nonce_str!, body);
    expect(Rsa.verify(message, pairs.signature!, Rsa.from(stub.merchant.merchantPublicKeyPem, 'public'))).toBe(true);
  });

  it('our paySign verifies with the plugin', async () => {
    const gateway = createWechatPayGateway(merchantPaySettings(stub));
    const params = gateway.requestPaymentParams('wx20250520132935abcdef0123456789abcd');
    const message = Formatter.joinedByLineFeed(stub.merchant.appid, params.timeStamp, params.nonceStr, params.package);
    expect(Rsa.verify(message, params.paySign, Rsa.from(stub.merchant.merchantPublicKeyPem, 'public'))).toBe(true);
  });
});

describe('notifications, both directions', () => {
  const pluginKeys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const PLUGIN_KEY_ID = 'PUB_KEY_ID_0114232134912410000000000000TEST';

  /** A notification built and signed entirely by the plugin, as WeChat Pay would send it. */
  function pluginNotification(resource: Record<string, unknown>) {
    const nonce = Formatter.nonce(12);
    const ciphertext = AesGcm.encrypt(JSON.stringify(resource), stub.merchant.apiV3Key, nonce, 'transaction');
    const body = JSON.stringify({
      id: 'EV-2025052013293512345',
      create_time: '2025-05-20T13:29:35+08:00',
      resource_type: 'encrypt-resource',
      event_type: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      resource: { original_type: 'transaction', algorithm: 'AEAD_AES_256_GCM', ciphertext, associated_data: 'transaction', nonce },
    });
    const timestamp = String(Formatter.timestamp());
    const headerNonce = Formatter.nonce();
    const signature = Rsa.sign(Formatter.response(timestamp, headerNonce, body), Rsa.from(pluginKeys.privateKey, 'private'));
    return { headers: { 'Wechatpay-Timestamp': timestamp, 'Wechatpay-Nonce': headerNonce, 'Wechatpay-Signature': signature, 'Wechatpay-Serial': PLUGIN_KEY_ID }, body };
  }

  const transaction = (overrides: Record<string, unknown> = {}) => ({
    appid: stub.merchant.appid,
    mchid: stub.merchant.mchid,
    out_trade_no: 'T20250520001',
    transaction_id: '4200001234202505201234567890',
    trade_type: 'JSAPI',
    trade_state: 'SUCCESS',
    trade_state_desc: '支付成功',
    success_time: '2025-05-20T13:29:35+08:00',
    payer: { openid: payerOpenid },
    amount: { total: 2350, payer_total: 2350, currency: 'CNY', payer_currency: 'CNY' },
    ...overrides,
  });

  const ourVerifier = () =>
    createPaymentNotificationVerifier({ ...merchantPaySettings(stub), wechatpayPublicKeys: new Map([[PLUGIN_KEY_ID, Rsa.from(pluginKeys.publicKey, 'public')]]) });
  const reasonFor = (notification: ReturnType<typeof pluginNotification>) => {
    try {
      ourVerifier().verifyPayment(notification);
      return 'ACCEPTED';
    } catch (error) {
      return (error as PaymentNotificationRejectedError).reason;
    }
  };

  it('our verifier accepts a notification built by the plugin', () => {
    expect(ourVerifier().verifyPayment(pluginNotification(transaction())).payment).toEqual(
      expect.objectContaining({ outTradeNo: 'T20250520001', state: 'SUCCESS', amountFen: 2350, transactionId: '4200001234202505201234567890', payerOpenid }),
    );
  });

  it('our verifier refuses a plugin-built notification for another merchant or app', () => {
    expect(reasonFor(pluginNotification(transaction({ mchid: '1900000001' })))).toBe('MCHID_MISMATCH');
    expect(reasonFor(pluginNotification(transaction({ appid: 'wx0000000000000000' })))).toBe('APPID_MISMATCH');
  });

  it('our verifier refuses an authentic TRANSACTION.SUCCESS whose transaction was not paid (NOT_PAID, 400)', () => {
    for (const trade_state of ['NOTPAY', 'USERPAYING', 'CLOSED', 'PAYERROR', 'REVOKED']) {
      expect(reasonFor(pluginNotification(transaction({ trade_state })))).toBe('NOT_PAID');
    }
    expect(notificationRejectionStatus('NOT_PAID')).toBe(400);
  });

  describe('the plugin reads what the stand-in sends', () => {
    let receiver: NotifyReceiver;
    beforeAll(async () => {
      receiver = await startNotifyReceiver();
    });
    afterAll(() => receiver.close());

    it('verifies the signature and decrypts the resource of a stand-in notification', async () => {
      const outTradeNo = newOutTradeNo('P');
      await pluginClient().v3.pay.transactions.jsapi.post(jsapiOrder(outTradeNo, receiver.url));
      await stub.sandbox.pay(outTradeNo);
      const [delivery] = await receiver.waitFor(1);
      const headers = delivery!.headers as Record<string, string>;
      const signed = Formatter.response(headers['wechatpay-timestamp']!, headers['wechatpay-nonce']!, delivery!.body);
      expect(Rsa.verify(signed, headers['wechatpay-signature']!, Rsa.from(stub.standIn.config.wechatpayPublicKeyPem, 'public'))).toBe(true);
      const { resource } = JSON.parse(delivery!.body);
      expect(resource.nonce).toHaveLength(12);
      const decrypted = JSON.parse(AesGcm.decrypt(resource.ciphertext, stub.merchant.apiV3Key, resource.nonce, resource.associated_data));
      expect(decrypted).toEqual(expect.objectContaining({ out_trade_no: outTradeNo, trade_state: 'SUCCESS', appid: stub.merchant.appid, mchid: stub.merchant.mchid }));
      expect(() => AesGcm.decrypt(resource.ciphertext, stub.merchant.apiV3Key, resource.nonce, 'refund')).toThrow();
    });
  });
});
