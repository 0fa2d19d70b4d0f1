import { generateKeyPairSync, randomInt, type KeyObject } from 'node:crypto';
import { randomAlphanumeric, signMessage } from './signing';

/** Ways to spoil the signature of one answer or notification attempt, as a forger or WeChat's own probes would. */
export const SIGNATURE_FAULTS = ['MISSING_SIGNATURE', 'STALE_TIMESTAMP', 'UNKNOWN_SERIAL', 'SIGNTEST', 'BAD_SIGNATURE'] as const;
export type SignatureFault = (typeof SIGNATURE_FAULTS)[number];

export type WechatpaySigner = {
  publicKeyId: string;
  publicKeyPem: string;
  /** The Wechatpay-* headers for a body, signed now, optionally spoiled. */
  headersFor(body: string, fault?: SignatureFault): Record<string, string>;
};

const STALE_BY_SECONDS = 600;
const PROBE_PREFIX = 'WECHATPAY/SIGNTEST/';

function publicKeyId(): string {
  return `PUB_KEY_ID_${Array.from({ length: 32 }, () => randomInt(10)).join('')}`;
}

function rsaPair(): { privateKey: KeyObject; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/**
 * The stand-in's WeChat Pay key pair under a fresh `PUB_KEY_ID_...`, generated at start (test-only keys; nothing is
 * committed). A second pair under another id signs the UNKNOWN_SERIAL fault: valid RSA, but a key nobody trusts.
 */
export function createWechatpaySigner(now: () => Date): WechatpaySigner {
  const own = { ...rsaPair(), id: publicKeyId() };
  // Made on first use: RSA key generation takes a noticeable fraction of a second.
  let impostor: typeof own | undefined;
  const impostorPair = () => (impostor ??= { ...rsaPair(), id: publicKeyId() });

  return {
    publicKeyId: own.id,
    publicKeyPem: own.publicKeyPem,
    headersFor(body, fault): Record<string, string> {
      if (fault === 'MISSING_SIGNATURE') return {};
      const timestamp = String(Math.floor(now().getTime() / 1_000) - (fault === 'STALE_TIMESTAMP' ? STALE_BY_SECONDS : 0));
      const nonce = randomAlphanumeric(32);
      const signer = fault === 'UNKNOWN_SERIAL' ? impostorPair() : own;
      let signature = signMessage(timestamp, nonce, fault === 'BAD_SIGNATURE' ? `${body} ` : body, signer.privateKey);
      // A probe carries a real signature behind the prefix: only a verifier that special-cases the prefix accepts it.
      if (fault === 'SIGNTEST') signature = `${PROBE_PREFIX}${signature}`;
      return {
        'Wechatpay-Timestamp': timestamp,
        'Wechatpay-Nonce': nonce,
        'Wechatpay-Signature': signature,
        'Wechatpay-Serial': signer.id,
        'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
      };
    },
  };
}
