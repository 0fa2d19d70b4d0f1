import { dynamoNoticeRepository } from '../adapters/dynamodb/notice-repository';
import { dynamoOrderRepository } from '../adapters/dynamodb/order-repository';
import { redis } from '../adapters/redis/client';
import { systemClock } from '../adapters/system/clock';
import { cryptoIds } from '../adapters/system/ids';
import { createSharedAccessToken } from '../adapters/wechat/access-token';
import { loadWxAppSettings, wxAppConfig } from '../adapters/wechat/config';
import { createSubscribeMessageSender } from '../adapters/wechat/subscribe-sender';
import { noticeConfig, noticeTemplateIds } from '../config/notices';
import type { SubscribeMessageSender } from '../ports/wechat';
import { orderMessageCommandFactory } from '../use-cases/notices/order-message-command-factory';
import type { SendOrderNoticeDeps } from '../use-cases/notices/send-order-notice';

/**
 * The container's one subscribe sender, on the access token every function shares through Redis. Built at the first
 * send, because the AppSecret is read from SSM; a failed build is tried again at the next send.
 */
function configuredSubscribeSender(miniprogramState: 'developer' | 'trial' | 'formal'): SubscribeMessageSender {
  let built: Promise<SubscribeMessageSender> | undefined;
  return {
    async send(message) {
      built ??= loadWxAppSettings()
        .then(({ appid, appSecret, apiBaseUrl }) =>
          createSubscribeMessageSender({ accessToken: createSharedAccessToken({ redis, appid, appSecret, apiBaseUrl }), apiBaseUrl, miniprogramState }),
        )
        .catch((error: unknown) => {
          built = undefined;
          throw error;
        });
      return (await built).send(message);
    },
  };
}

/** What the notice consumer needs: orders to read, notices to claim and record, and a command per notice type. */
export function orderNoticeDeps(): SendOrderNoticeDeps {
  // Fail at cold start, naming the variable, rather than at the first message.
  wxAppConfig();
  const config = noticeConfig();
  return {
    orders: dynamoOrderRepository,
    notices: dynamoNoticeRepository,
    commands: orderMessageCommandFactory({
      sender: configuredSubscribeSender(config.NOTICE_MINIPROGRAM_STATE),
      templates: noticeTemplateIds(),
      orderPage: config.NOTICE_ORDER_PAGE,
    }),
    clock: systemClock,
    ids: cryptoIds,
  };
}
