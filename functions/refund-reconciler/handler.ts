// Scheduled: settles refunds whose WeChat Pay notification never came, and resubmits ones WeChat Pay never accepted.
import { refundDeps } from '../../shared/composition/wechat-pay';
import { refundConfig } from '../../shared/config/refunds';
import { exitAfterInvokeLocal } from '../../shared/lambda/invoke-local';
import { reconcileRefunds } from '../../shared/use-cases/refunds/reconcile-refunds';

const olderThanSeconds = refundConfig().REFUND_RECONCILE_AFTER_SECONDS;

export const handler = exitAfterInvokeLocal(async () => reconcileRefunds(await refundDeps(), { olderThanSeconds }));
