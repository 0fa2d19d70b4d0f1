/** Broker settings with every default filled in, durations in ms. */
export type BrokerConfig = {
  invisibilityMs: number;
  orderlyInvisibilityMs: number;
  halfCheckIntervalMs: number;
  popHandleValidityMs: number;
  halfCheckMaxMs: number;
  maxDeliveries: number;
  minTransCheckSeconds: number;
  retentionMs: number;
  clock: () => number;
};

/** Limits from the Aliyun "Limits" page (protocol note 8.3, 8.5, 8.6). */
export const LIMITS = {
  maxBodyBytes: 4 * 1024 * 1024,
  /** Transactional, scheduled and delayed messages. */
  maxSpecialBodyBytes: 64 * 1024,
  maxPropertiesBytes: 16 * 1024,
  maxDelayMs: 40 * 24 * 3600 * 1000,
  maxTransCheckSeconds: 300,
  maxNumOfMessages: 16,
  maxWaitSeconds: 30,
} as const;
