import { generateLocalMerchantIdentity } from '../../local/wechat-stand-in';
import type * as WxConfig from '../../shared/adapters/wechat/config';

const merchant = generateLocalMerchantIdentity();
const escaped = (pem: string) => pem.trim().replace(/\n/g, '\\n');
const WECHATPAY_KEY_ID = 'PUB_KEY_ID_0114232134912410000000000000TEST';

const validEnv = {
  WX_APPID: merchant.appid,
  WX_APP_SECRET: merchant.appSecret,
  WXPAY_MCHID: merchant.mchid,
  WXPAY_MERCHANT_SERIAL_NO: merchant.merchantSerialNo,
  WXPAY_PUBLIC_KEY_ID: WECHATPAY_KEY_ID,
  // Stands in for the WeChat Pay public key: any RSA public key will do for loading.
  WXPAY_PUBLIC_KEY: escaped(merchant.merchantPublicKeyPem),
  WXPAY_MERCHANT_PRIVATE_KEY: escaped(merchant.merchantPrivateKeyPem),
  WXPAY_API_V3_KEY: merchant.apiV3Key,
};
const variables = [...Object.keys(validEnv), 'WX_API_BASE_URL', 'WXPAY_BASE_URL', 'SECRETS_SSM_PATH'];

/** The config module as a cold start loads it, with exactly `env` set. */
async function coldConfig(env: Record<string, string | undefined>) {
  for (const name of variables) delete process.env[name];
  Object.assign(process.env, env);
  let loaded: typeof WxConfig | undefined;
  await jest.isolateModulesAsync(async () => {
    loaded = await import('../../shared/adapters/wechat/config');
  });
  return loaded!;
}

const saved = { ...process.env };
afterEach(() => {
  for (const name of variables) delete process.env[name];
  Object.assign(process.env, saved);
});

describe('WeChat configuration', () => {
  it('loads the pay settings once into key objects, accepting \\n-escaped PEM', async () => {
    const config = await coldConfig(validEnv);
    const settings = await config.loadWxPaySettings();
    expect(settings).toEqual(expect.objectContaining({ appid: merchant.appid, mchid: merchant.mchid, apiBaseUrl: 'https://api.mch.weixin.qq.com', merchantSerialNo: merchant.merchantSerialNo, wechatpayPublicKeyId: WECHATPAY_KEY_ID }));
    expect(settings.merchantPrivateKey.type).toBe('private');
    expect(settings.wechatpayPublicKeys.get(WECHATPAY_KEY_ID)?.type).toBe('public');
    expect(settings.apiV3Key).toHaveLength(32);
    expect(await config.loadWxPaySettings()).toBe(settings);
  });

  it('loads the app settings with the default API base URL, or the configured one', async () => {
    await expect((await coldConfig(validEnv)).loadWxAppSettings()).resolves.toEqual({ appid: merchant.appid, appSecret: merchant.appSecret, apiBaseUrl: 'https://api.weixin.qq.com' });
    await expect((await coldConfig({ ...validEnv, WX_API_BASE_URL: 'http://127.0.0.1:3100' })).loadWxAppSettings()).resolves.toEqual(expect.objectContaining({ apiBaseUrl: 'http://127.0.0.1:3100' }));
  });

  it('refuses an APIv3 key that is not 32 bytes', async () => {
    await expect((await coldConfig({ ...validEnv, WXPAY_API_V3_KEY: 'x'.repeat(31) })).loadWxPaySettings()).rejects.toThrow('WXPAY_API_V3_KEY must be exactly 32 bytes');
  });

  it('names every missing or malformed variable, and never prints a secret', async () => {
    const { WXPAY_MCHID: _, ...withoutMchid } = validEnv;
    const error = await (await coldConfig({ ...withoutMchid, WXPAY_PUBLIC_KEY: 'not a key' })).loadWxPaySettings().catch((e: Error) => e);
    expect(error).toEqual(expect.objectContaining({ name: 'ConfigError' }));
    expect((error as Error).message).toContain('WXPAY_MCHID is required but not set');
    expect((error as Error).message).toContain('WXPAY_PUBLIC_KEY is invalid: must be a PEM public key');

    const badKey = await (await coldConfig({ ...validEnv, WXPAY_MERCHANT_PRIVATE_KEY: 'secret-material' })).loadWxPaySettings().catch((e: Error) => e);
    expect((badKey as Error).message).toBe('WXPAY_MERCHANT_PRIVATE_KEY is not a PEM private key');
  });

  it('names a missing secret', async () => {
    const { WX_APP_SECRET: _, ...withoutSecret } = validEnv;
    await expect((await coldConfig(withoutSecret)).loadWxAppSettings()).rejects.toThrow('secrets missing from the environment: WX_APP_SECRET');
  });
});
