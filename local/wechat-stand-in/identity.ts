import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';

/**
 * LOCAL ONLY. A merchant identity for the local stack and tests: our side keeps the private key and signs with it,
 * the stand-in is told the public half. Nothing here is, or may become, a production credential.
 */
export type LocalMerchantIdentity = {
  appid: string;
  appSecret: string;
  mchid: string;
  /** Stands for the hex serial of the merchant API certificate. */
  merchantSerialNo: string;
  merchantPrivateKeyPem: string;
  merchantPublicKeyPem: string;
  /** 32 ASCII characters, as the merchant console requires. */
  apiV3Key: string;
};

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function alphanumeric(length: number): string {
  return Array.from({ length }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join('');
}

/** Generates a fresh LOCAL ONLY merchant identity (an RSA-2048 key pair and random ids and secrets). */
export function generateLocalMerchantIdentity(): LocalMerchantIdentity {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return {
    appid: `wx${randomBytes(8).toString('hex')}`,
    appSecret: randomBytes(16).toString('hex'),
    mchid: `19${String(randomInt(10_000_000, 100_000_000))}`,
    merchantSerialNo: randomBytes(20).toString('hex').toUpperCase(),
    merchantPrivateKeyPem: privateKey,
    merchantPublicKeyPem: publicKey,
    apiV3Key: alphanumeric(32),
  };
}
