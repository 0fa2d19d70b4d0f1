import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { ConfigError, configSection, envString, envUrl } from '../../config/env';
import * as z from '../../schemas/zod';
import { loadSecrets } from '../../config/secrets';

/** PEM from an environment variable; `\n`-escaped single-line values (common in .env files and SSM) are accepted. */
const unescapePem = (pem: string) => pem.replace(/\\n/g, '\n').trim();

const envPublicKey = z.pipe(
  z.string(),
  z.transform((pem, context) => {
    try {
      return createPublicKey(unescapePem(pem));
    } catch {
      context.issues.push({ code: 'custom', message: 'must be a PEM public key', input: pem });
      return z.NEVER;
    }
  }),
);

export const wxAppConfig = configSection('WeChat', {
  WX_APPID: envString,
  WX_API_BASE_URL: z._default(envUrl, 'https://api.weixin.qq.com'),
});

const wxPayConfig = configSection('WeChat Pay', {
  WX_APPID: envString,
  WXPAY_BASE_URL: z._default(envUrl, 'https://api.mch.weixin.qq.com'),
  WXPAY_MCHID: z.string().check(z.regex(/^\d{1,32}$/, 'must be the numeric merchant id')),
  WXPAY_MERCHANT_SERIAL_NO: z.string().check(z.regex(/^[0-9A-Fa-f]{8,64}$/, 'must be the hex serial of the merchant API certificate')),
  WXPAY_PUBLIC_KEY_ID: z.string().check(z.regex(/^PUB_KEY_ID_\w+$/, 'must be a PUB_KEY_ID_... id')),
  WXPAY_PUBLIC_KEY: envPublicKey,
});

export type WxAppSettings = { appid: string; appSecret: string; apiBaseUrl: string };

export type WxPaySettings = {
  appid: string;
  mchid: string;
  apiBaseUrl: string;
  merchantSerialNo: string;
  merchantPrivateKey: KeyObject;
  apiV3Key: Buffer;
  wechatpayPublicKeyId: string;
  wechatpayPublicKeys: ReadonlyMap<string, KeyObject>;
};

let appSettings: Promise<WxAppSettings> | undefined;
let paySettings: Promise<WxPaySettings> | undefined;

/** The mini-program's identity for login and server APIs, read once per container. */
export function loadWxAppSettings(): Promise<WxAppSettings> {
  appSettings ??= (async () => {
    const { WX_APPID, WX_API_BASE_URL } = wxAppConfig();
    const { WX_APP_SECRET } = await loadSecrets(['WX_APP_SECRET']);
    return { appid: WX_APPID, appSecret: WX_APP_SECRET, apiBaseUrl: WX_API_BASE_URL };
  })().catch((error: unknown) => {
    appSettings = undefined;
    throw error;
  });
  return appSettings;
}

function merchantPrivateKey(pem: string): KeyObject {
  try {
    return createPrivateKey(unescapePem(pem));
  } catch {
    throw new ConfigError('WXPAY_MERCHANT_PRIVATE_KEY is not a PEM private key');
  }
}

function apiV3Key(value: string): Buffer {
  const key = Buffer.from(value, 'utf8');
  if (key.length !== 32) throw new ConfigError('WXPAY_API_V3_KEY must be exactly 32 bytes');
  return key;
}

/** WeChat Pay identities and keys, read once per container and turned into KeyObjects once. */
export function loadWxPaySettings(): Promise<WxPaySettings> {
  paySettings ??= (async () => {
    const env = wxPayConfig();
    const secrets = await loadSecrets(['WXPAY_MERCHANT_PRIVATE_KEY', 'WXPAY_API_V3_KEY']);
    return {
      appid: env.WX_APPID,
      mchid: env.WXPAY_MCHID,
      apiBaseUrl: env.WXPAY_BASE_URL,
      merchantSerialNo: env.WXPAY_MERCHANT_SERIAL_NO,
      merchantPrivateKey: merchantPrivateKey(secrets.WXPAY_MERCHANT_PRIVATE_KEY),
      apiV3Key: apiV3Key(secrets.WXPAY_API_V3_KEY),
      wechatpayPublicKeyId: env.WXPAY_PUBLIC_KEY_ID,
      wechatpayPublicKeys: new Map([[env.WXPAY_PUBLIC_KEY_ID, env.WXPAY_PUBLIC_KEY]]),
    };
  })().catch((error: unknown) => {
    paySettings = undefined;
    throw error;
  });
  return paySettings;
}
