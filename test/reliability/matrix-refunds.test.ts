import { flows } from './flows';
import { describeMatrix } from './matrix';

// Refunds through a transactional message, its consumers and WeChat Pay's refund notification, under faults.
describeMatrix('refunds', [flows.refund]);
