import { flows } from './flows';
import { describeMatrix } from './matrix';

// Logging in (with the new-user coupon), placing an order, and its cancellation at the pay deadline, under faults.
describeMatrix('identity and orders', [flows.loginAndCoupon, flows.orderCreation, flows.autoCancel]);
