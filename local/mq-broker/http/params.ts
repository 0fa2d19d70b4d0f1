import { LIMITS } from '../config';
import { invalidArgument } from '../errors';

const TOPIC_NAME = /^[A-Za-z0-9_-]{3,64}$/;
const GROUP_NAME = /^GID[-_][A-Za-z0-9_-]{1,60}$/;

/** Topic names: 3-64 letters, digits, `-` and `_` (protocol note 8.9). */
export function checkTopicName(topic: string): string {
  if (!TOPIC_NAME.test(topic)) throw invalidArgument(`The topic name "${topic}" is invalid: use 3-64 letters, digits, "-" or "_".`);
  return topic;
}

/** Group ids: `GID_` or `GID-`, then letters, digits, `-` and `_`, 5-64 characters in all (protocol note 8.9). */
export function checkGroupName(raw: string | null): string {
  if (raw === null || raw === '') throw invalidArgument('The consumer parameter (group id) is required.');
  if (!GROUP_NAME.test(raw)) throw invalidArgument(`The group id "${raw}" is invalid: it must start with GID_ or GID- and have 5-64 letters, digits, "-" or "_".`);
  return raw;
}

function integerInRange(raw: string | null, name: string, low: number, high: number): number {
  const value = raw === null ? NaN : Number(raw);
  if (!/^\d+$/.test(raw ?? '') || value < low || value > high) {
    throw invalidArgument(`The value of ${name} should between ${low} and ${high}, got "${raw ?? ''}".`);
  }
  return value;
}

/** The Node SDK passes these through unchecked (even `undefined`), so the server enforces 1-16 (note 11.12). */
export const numOfMessages = (raw: string | null): number => integerInRange(raw, 'numOfMessages', 1, LIMITS.maxNumOfMessages);

/** Absent or 0 means a short poll; the SDK omits the parameter for 0. */
export const waitSeconds = (raw: string | null): number => (raw === null ? 0 : integerInRange(raw, 'waitseconds', 0, LIMITS.maxWaitSeconds));
