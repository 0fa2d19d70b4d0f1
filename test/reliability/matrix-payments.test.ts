import { flows } from './flows';
import { describeMatrix } from './matrix';

// The payment webhook (a payment, and one that lands after the cancellation), confirming, finishing and its reward.
describeMatrix('payments and fulfilment', [flows.payCallback, flows.payAfterCancel, flows.confirm, flows.finishAndReward]);
