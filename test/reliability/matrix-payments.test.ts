import { flows } from './flows';
import { describeMatrix } from './matrix';

// The payment webhook, confirming, and finishing with its reward, under faults.
describeMatrix('payment and fulfilment', [flows.payCallback, flows.confirm, flows.finishAndReward]);
