import { randomBytes } from 'node:crypto';
import { deepJson, hugeString, INJECTIONS, MALFORMED_JSON } from './inputs';
import type { Random } from './random';
import type { FuzzRequest } from './requests';

const base64 = (bytes: number) => randomBytes(bytes).toString('base64');
const now = () => Math.floor(Date.now() / 1000);

/** An envelope shaped like WeChat Pay's, with whatever inside: nobody but WeChat Pay can sign and encrypt a real one. */
function envelope(random: Random): Record<string, unknown> {
  return {
    id: random.pick(['EV-2018022511223320873', 'c17f5eaf-0a90-5e4c-9ec8-e1f068addfcf', ...INJECTIONS.slice(0, 4)]),
    create_time: new Date().toISOString(),
    resource_type: 'encrypt-resource',
    event_type: random.pick(['TRANSACTION.SUCCESS', 'REFUND.SUCCESS', 'REFUND.ABNORMAL', 'TRANSACTION.CLOSED', 'UNKNOWN']),
    summary: '支付成功',
    resource: random.pick([
      { original_type: 'transaction', algorithm: 'AEAD_AES_256_GCM', ciphertext: base64(random.int(16, 600)), associated_data: 'transaction', nonce: 'aBcDeFgHiJkL' },
      { original_type: 'refund', algorithm: 'AEAD_AES_256_CBC', ciphertext: 'not base64 at all', associated_data: 'refund', nonce: '' },
      { algorithm: 'AEAD_AES_256_GCM', ciphertext: JSON.stringify({ out_trade_no: 'o1', trade_state: 'SUCCESS', amount: { total: 1 } }) },
      null,
      'plain text',
      [],
    ]),
  };
}

function body(random: Random): string {
  return random.pick([
    () => JSON.stringify(envelope(random)),
    () => random.pick(MALFORMED_JSON),
    () => hugeString(random.pick([64 * 1024 + 1, 500_000])),
    () => deepJson(random, random.int(100, 20_000)),
    () => '',
    () => JSON.stringify(envelope(random)).replace(/^\{/, '{"__proto__":{"polluted":"yes"},'),
  ])();
}

/** WeChat Pay's signature headers, each missing, stale, from the future, unknown, malformed or a signature probe. */
function signatureHeaders(random: Random, serial: string): Record<string, string> {
  const headers: Record<string, string> = {
    'wechatpay-timestamp': String(random.pick([now(), now() - 600, now() + 600, 0, -1, 99999999999])),
    'wechatpay-nonce': random.pick(['593BEC0C930BF1AFEB40B4A08C8FB242', '', 'x'.repeat(300)]),
    'wechatpay-signature': random.pick([base64(256), `WECHATPAY/SIGNTEST/${base64(256)}`, 'not-base64!!', '']),
    'wechatpay-serial': random.pick([serial, 'PUB_KEY_ID_0000000000000000000000000000', '5157F09EFDC096DE15EBE81A47057A72', "' OR 1=1 --"]),
    'wechatpay-signature-type': random.pick(['WECHATPAY2-SHA256-RSA2048', 'HMAC-SHA256']),
  };
  for (const name of Object.keys(headers)) if (random.chance(0.15)) delete headers[name];
  return headers;
}

/** A forged or garbled notification to one of the two webhooks: every one must be refused with a 4xx and write nothing. */
export function webhookRequest(serial: string) {
  return (random: Random, path: string): FuzzRequest => ({
    method: 'POST',
    path,
    headers: { 'content-type': random.chance(0.9) ? 'application/json' : 'text/xml', ...signatureHeaders(random, serial) },
    body: body(random),
    label: `POST ${path} [forged]`,
  });
}
