import type { WechatStandInOptions } from '../../local/wechat-stand-in';
import { startTestStandIn, type TestStandIn } from '../wechat/support/stand-in';
import { overrideEnv } from './env';

export type PrivateWechat = TestStandIn & { stop(): Promise<void> };

/**
 * A WeChat stand-in of this test file's own (for switches that are global to a stand-in, such as a compressed
 * notification retry schedule), and the environment pointing the functions at it: login, subscribe messages and
 * WeChat Pay. Import the functions after calling this.
 */
export async function startPrivateWechat(options: Partial<WechatStandInOptions> = {}): Promise<PrivateWechat> {
  const stub = await startTestStandIn(options);
  const { merchant, standIn } = stub;
  const restore = overrideEnv({
    WX_APPID: merchant.appid,
    WX_APP_SECRET: merchant.appSecret,
    WX_API_BASE_URL: standIn.url,
    WXPAY_BASE_URL: standIn.url,
    WXPAY_MCHID: merchant.mchid,
    WXPAY_MERCHANT_SERIAL_NO: merchant.merchantSerialNo,
    WXPAY_MERCHANT_PRIVATE_KEY: merchant.merchantPrivateKeyPem,
    WXPAY_API_V3_KEY: merchant.apiV3Key,
    WXPAY_PUBLIC_KEY_ID: standIn.config.wechatpayPublicKeyId,
    WXPAY_PUBLIC_KEY: standIn.config.wechatpayPublicKeyPem,
  });
  return {
    ...stub,
    async stop() {
      await standIn.close();
      restore();
    },
  };
}
