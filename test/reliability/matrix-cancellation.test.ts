import { flows } from './flows';
import { describeMatrix } from './matrix';

// An unpaid order cancelled at its deadline, and a payment that lands after the cancellation, under faults.
describeMatrix('cancellation', [flows.autoCancel, flows.payAfterCancel]);
