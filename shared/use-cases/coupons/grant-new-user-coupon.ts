import { grantCoupon } from '../../domain/coupons/coupon';
import type { Clock } from '../../ports/clock';
import type { CouponRepository, IdempotencyLedger } from '../../ports/coupons';
import { logger } from '../../logging/logger';

export type GrantNewUserCouponDeps = {
  coupons: Pick<CouponRepository, 'getTemplate' | 'grant'>;
  ledger: IdempotencyLedger;
  clock: Clock;
  newUserTemplateId: string;
};

/** Another delivery of the same message holds the lease right now; this one is retried later. */
export class GrantInProgressError extends Error {
  override readonly name = 'GrantInProgressError';
}

/**
 * Consumer of UserRegistered: grants the new-user coupon exactly once.
 *
 * Primary course:
 *  1. Ask the Redis fast path: a grant already done ends here; one in progress elsewhere is retried later.
 *  2. Grant the coupon with a DynamoDB conditional write on (user, template): the truth, which refuses a duplicate
 *     even when Redis was down, flushed or evicted.
 *  3. Mark the grant done in Redis, after the write.
 *
 * Fails when the template does not exist (the message is retried, then dead-lettered: an operator must look).
 */
export async function grantNewUserCoupon(deps: GrantNewUserCouponDeps, input: { userId: string }): Promise<'GRANTED' | 'DUPLICATE'> {
  const key = `${input.userId}:${deps.newUserTemplateId}`;
  const fastPath = await deps.ledger.begin(key);
  if (fastPath === 'DONE') {
    logger.info('new-user coupon already granted (fast path)', { userId: input.userId });
    return 'DUPLICATE';
  }
  if (fastPath === 'IN_PROGRESS') throw new GrantInProgressError(`a grant for ${key} is in progress`);

  const template = await deps.coupons.getTemplate(deps.newUserTemplateId);
  if (!template) throw new Error(`coupon template ${deps.newUserTemplateId} does not exist`);
  const granted = await deps.coupons.grant(grantCoupon(template, input.userId, deps.clock.now()));
  if (fastPath === 'ACQUIRED') await deps.ledger.complete(key);
  logger.info(granted ? 'new-user coupon granted' : 'new-user coupon already granted (DynamoDB)', { userId: input.userId, templateId: template.templateId });
  return granted ? 'GRANTED' : 'DUPLICATE';
}
