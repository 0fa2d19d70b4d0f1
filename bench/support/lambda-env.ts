// The environment a function's process would have on Lambda for the prod stage: Lambda's own variables, then the
// stage's (serverless.yml), with the values a real stage must supply (endpoints, ids, the WeChat Pay public key) filled
// with placeholders, since configuration is parsed when a module loads. Nothing here is ever connected to: loading a
// handler touches no network (the Redis client connects lazily, the others at first use).
import { generateKeyPairSync } from 'node:crypto';
import type { PackagedFunction } from './packaging';

let publicKeyPem: string | undefined;
const wechatpayPublicKey = () => (publicKeyPem ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString());

/** Placeholders for the stage values serverless.yml leaves empty for the operator (secrets stay empty: SSM has them). */
const stageValues = (): Record<string, string> => ({
  REDIS_URL: 'rediss://shop-cache.example.internal:6379',
  MQ_ENDPOINT: 'http://1234567890.mqrest.cn-hangzhou.aliyuncs.com',
  MQ_INSTANCE_ID: 'MQ_INST_1234567890_BXhxxxxx',
  MQ_ACCESS_KEY_ID: 'LTAI5tBenchAccessKeyId',
  WX_APPID: 'wx0123456789abcdef',
  WXPAY_MCHID: '1900000001',
  WXPAY_MERCHANT_SERIAL_NO: '3775B6A45ACD588826D15E583A95F5DD',
  WXPAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_0119000000012024000000000000',
  WXPAY_PUBLIC_KEY: wechatpayPublicKey(),
  WXPAY_NOTIFY_URL: 'https://shop.example.com/wxpay/notify',
  WXPAY_REFUND_NOTIFY_URL: 'https://shop.example.com/wxpay/refund-notify',
  NOTICE_TEMPLATE_WAIT_PAY: 'tmplWaitPay0000000000000000000000000000000',
  NOTICE_TEMPLATE_PAID: 'tmplPaid00000000000000000000000000000000000',
  NOTICE_TEMPLATE_CONFIRMED: 'tmplConfirmed00000000000000000000000000000',
  NOTICE_TEMPLATE_FINISHED: 'tmplFinished000000000000000000000000000000',
  NOTICE_TEMPLATE_CANCELLED: 'tmplCancelled00000000000000000000000000000',
  NOTICE_TEMPLATE_REFUNDED: 'tmplRefunded000000000000000000000000000000',
});

/** What the Lambda runtime itself sets (a subset: what a module could read while loading). */
const runtimeValues = (name: string, taskRoot: string): Record<string, string> => ({
  PATH: '/var/lang/bin:/usr/local/bin:/usr/bin:/bin',
  LANG: 'en_US.UTF-8',
  TZ: ':UTC',
  AWS_REGION: 'ap-southeast-1',
  AWS_DEFAULT_REGION: 'ap-southeast-1',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  AWS_LAMBDA_FUNCTION_NAME: `wx-shop-prod-${name}`,
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  AWS_ACCESS_KEY_ID: 'ASIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_SESSION_TOKEN: 'bench-session-token',
  LAMBDA_TASK_ROOT: taskRoot,
});

/** The function's environment on Lambda, `taskRoot` being where its zip was unpacked. */
export function lambdaEnv(fn: Pick<PackagedFunction, 'name' | 'environment'>, taskRoot: string): Record<string, string> {
  const placeholders = stageValues();
  const stage = Object.fromEntries(Object.entries(fn.environment).map(([key, value]) => [key, value === '' ? (placeholders[key] ?? '') : value]));
  return { ...runtimeValues(fn.name, taskRoot), ...stage };
}
