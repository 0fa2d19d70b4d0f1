import type { DeadLetterRecord, MessageRecord } from './model';

/**
 * Every change of broker state is one of these events: applied to memory and appended to the journal, so that a
 * restart replays exactly what happened live. Short field names keep journal lines small.
 */
export type BrokerEvent =
  | { e: 'seq'; next: number }
  | { e: 'group'; k: string; ns: string; t: string; g: string; low: number }
  | { e: 'pub'; m: MessageRecord }
  | { e: 'half'; m: MessageRecord; h: string; validUntil: number; offerAt: number; expireAt: number }
  | { e: 'dlv'; k: string; g: string; id: string; h: string; n: number; first: number; next: number }
  | { e: 'done'; k: string; g: string; ids: string[] }
  | { e: 'dead'; k: string; d: DeadLetterRecord }
  | { e: 'hpop'; k: string; id: string; h: string; n: number; first: number; next: number; validUntil: number }
  | { e: 'commit'; k: string; id: string; seq: number; at: number }
  | { e: 'drop'; k: string; id: string; why: 'rollback' | 'expired' };

/** The moment an event makes something due on its topic (a delayed message, a visibility timeout, a check-back). */
export function dueTimesOf(event: BrokerEvent): number[] {
  switch (event.e) {
    case 'pub':
      return [event.m.deliverAt];
    case 'half':
      return [event.offerAt, event.expireAt];
    case 'dlv':
    case 'hpop':
      return [event.next];
    default:
      return [];
  }
}

export const topicKeyOf = (event: BrokerEvent): string | undefined =>
  event.e === 'seq' ? undefined : event.e === 'pub' || event.e === 'half' ? event.m.key : event.k;
