import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { noticeTypes, type NoticeType } from '../../domain/notices/notice-types';
import { DependencyUnavailableError } from '../../ports/errors';
import type { NoticeClaim, NoticeRecord, NoticeRepository } from '../../ports/notices';
import { tableName } from '../../config/tables';
import { dynamo } from './client';

/**
 * One item per (order, status), keyed `<orderId>#<status>`. The claim is a conditional put, so of any number of
 * deliveries of the same OrderStatusChanged exactly one may send. Items expire long after the MQ could still
 * redeliver the message (Aliyun keeps messages 3 days), so an expired claim can never let a notice go twice.
 */
const RETENTION_SECONDS = 180 * 86_400;

type NoticeItem = Omit<NoticeRecord, 'orderId' | 'status'> & { noticeId: string; orderId: string; status: NoticeType; userId: string; claimId: string; ttl: number };

const noticeId = (orderId: string, status: NoticeType) => `${orderId}#${status}`;

function toRecord({ orderId, status, result, claimedAt, sentAt, msgid, errcode }: NoticeItem): NoticeRecord {
  return { orderId, status, result, claimedAt, ...(sentAt ? { sentAt } : {}), ...(msgid ? { msgid } : {}), ...(errcode !== undefined ? { errcode } : {}) };
}

export const dynamoNoticeRepository: NoticeRepository = {
  async claim({ orderId, status, userId, claimId, claimedAt }) {
    const item: NoticeItem = {
      noticeId: noticeId(orderId, status),
      orderId,
      status,
      userId,
      claimId,
      result: 'SENDING',
      claimedAt: claimedAt.toISOString(),
      ttl: Math.floor(claimedAt.getTime() / 1000) + RETENTION_SECONDS,
    };
    try {
      await dynamo().send(new PutCommand({ TableName: tableName('notices'), Item: item, ConditionExpression: 'attribute_not_exists(noticeId)' }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  },

  async record(claim: NoticeClaim, outcome, at) {
    const { result, ...details } = outcome;
    const names: Record<string, string> = { '#result': 'result' };
    const values: Record<string, unknown> = { ':result': result, ':sentAt': at.toISOString(), ':claimId': claim.claimId, ':sending': 'SENDING' };
    const sets = ['#result = :result', 'sentAt = :sentAt'];
    for (const [name, value] of Object.entries(details)) {
      sets.push(`#${name} = :${name}`);
      names[`#${name}`] = name;
      values[`:${name}`] = value;
    }
    // Only the delivery that claimed the notice records it, and only once.
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName('notices'),
        Key: { noticeId: noticeId(claim.orderId, claim.status) },
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: 'claimId = :claimId AND #result = :sending',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  },

  async release(claim) {
    try {
      await dynamo().send(
        new DeleteCommand({
          TableName: tableName('notices'),
          Key: { noticeId: noticeId(claim.orderId, claim.status) },
          ConditionExpression: 'claimId = :claimId AND #result = :sending',
          ExpressionAttributeNames: { '#result': 'result' },
          ExpressionAttributeValues: { ':claimId': claim.claimId, ':sending': 'SENDING' },
        }),
      );
    } catch (error) {
      // Not this delivery's unrecorded claim (any more): nothing to give back.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  },

  async listForOrder(orderId) {
    const table = tableName('notices');
    const { Responses, UnprocessedKeys } = await dynamo().send(
      new BatchGetCommand({ RequestItems: { [table]: { Keys: noticeTypes.map((status) => ({ noticeId: noticeId(orderId, status) })), ConsistentRead: true } } }),
    );
    // Six small items are far below BatchGetItem's limits; unprocessed keys mean throttling, which the caller retries.
    if (UnprocessedKeys?.[table]) throw new DependencyUnavailableError('dynamodb', `notices of order ${orderId}: keys left unprocessed (throttled)`);
    const items = (Responses?.[table] ?? []) as NoticeItem[];
    return noticeTypes.flatMap((status) => items.filter((item) => item.status === status).map(toRecord));
  },
};
