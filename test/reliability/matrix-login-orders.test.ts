import { flows } from './flows';
import { describeMatrix } from './matrix';

// Logging in (with the new-user coupon) and placing an order, under faults.
describeMatrix('login and orders', [flows.loginAndCoupon, flows.orderCreation]);
