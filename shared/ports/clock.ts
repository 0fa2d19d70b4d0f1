/** Where time comes from; tests pass a clock they control. */
export interface Clock {
  now(): Date;
}
