import { flows } from './flows';
import { describeMatrix } from './matrix';

// The check-back deciding half messages whose decision was lost, and order notices, under faults.
describeMatrix('check-back and notices', [flows.checkBackCommits, flows.checkBackRollsBack, flows.notices]);
