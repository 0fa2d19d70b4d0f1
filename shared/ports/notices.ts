import type { NoticeType } from '../domain/notices/notice-types';

/**
 * How a notice ended. `SENDING`: claimed, outcome not recorded; a claim that stays so was interrupted between the
 * send and the record (a crash) and is never sent again. `UNKNOWN`: WeChat did not say whether it took the message.
 */
export type NoticeResult = 'SENDING' | 'SENT' | 'NOT_SUBSCRIBED' | 'REJECTED' | 'UNKNOWN';

/** A delivery's claim on the one notice of (order, status); `claimId` tells this delivery's claim from another's. */
export type NoticeClaim = { orderId: string; status: NoticeType; userId: string; claimId: string; claimedAt: Date };

export type NoticeOutcome =
  | { result: 'SENT'; msgid?: string }
  | { result: 'NOT_SUBSCRIBED' }
  | { result: 'REJECTED'; errcode: number }
  | { result: 'UNKNOWN' };

/** A notice as stored, for the admin view of an order. `sentAt`: when the send ended (absent while SENDING). */
export type NoticeRecord = { orderId: string; status: NoticeType; result: NoticeResult; claimedAt: string; sentAt?: string; msgid?: string; errcode?: number };

/** At most one notice per (order, status): claimed before the send, recorded after it. */
export interface NoticeRepository {
  /** False when (order, status) was claimed before, by this delivery or another: the notice must not be sent. */
  claim(claim: NoticeClaim): Promise<boolean>;
  /** Stores how this claim's send ended. */
  record(claim: NoticeClaim, outcome: NoticeOutcome, at: Date): Promise<void>;
  /** Withdraws this claim, if it is still unrecorded, after a send that certainly did not happen: a redelivery may try again. */
  release(claim: NoticeClaim): Promise<void>;
  /** The notices of an order, in the order of its statuses. */
  listForOrder(orderId: string): Promise<NoticeRecord[]>;
}
