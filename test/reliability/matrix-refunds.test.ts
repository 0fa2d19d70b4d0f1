import { flows } from './flows';
import { describeMatrix } from './matrix';

// Refunds through transactional messages, the check-back deciding lost half messages, and order notices.
describeMatrix('refunds and notices', [flows.refund, flows.checkBackCommits, flows.checkBackRollsBack, flows.notices]);
