// A refund an agent gives on their own judgement (a late parcel, a scratch the customer
// keeps, a price match): any amount up to what is still refundable on the order, with a
// reason the customer reads in the refund email. One refund per idempotency key, so a
// double-clicked button or a retried API call refunds once.
import { eq } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { refunds } from '../../db/schema.ts';
import { appendOrderEvent, type Actor } from '../orders/order-events.ts';
import { lockOrder } from '../orders/order-service.ts';
import { validationFailed } from '../shared/errors.ts';
import { formatMoney } from '../shared/money.ts';
import { processRefundsAfterCommit, refundableAmount, requestRefund, type Refund } from './refund-service.ts';

export const GOODWILL_REASON_MAX = 300;

export type GoodwillRefundInput = { amount: number; reason: string; idempotencyKey: string };

export async function issueGoodwillRefund(ctx: AppContext, number: string, input: GoodwillRefundInput, actor: Actor): Promise<Refund> {
  const reason = input.reason.trim();
  const fields: Record<string, string> = {};
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0) fields.amount = 'Enter an amount above $0.00.';
  if (!reason) fields.reason = 'Say why the money goes back: the customer reads it in the refund email.';
  else if (reason.length > GOODWILL_REASON_MAX) fields.reason = `Use at most ${GOODWILL_REASON_MAX} characters.`;
  if (!/^[\x21-\x7e]{1,255}$/.test(input.idempotencyKey)) fields.idempotencyKey = 'Send a key of 1 to 255 visible characters, e.g. a UUID.';
  if (Object.keys(fields).length) throw validationFailed(fields, 'The refund was not made.');

  const refundId = await ctx.db.transaction(async (tx) => {
    const order = await lockOrder(tx, number);
    const key = `goodwill:${order.id}:${input.idempotencyKey}`;
    // A repeat is answered before the amount is checked: once refunded, less is left than it asked for.
    const [repeat] = await tx.select({ id: refunds.id }).from(refunds).where(eq(refunds.idempotencyKey, key));
    if (repeat) return repeat.id;
    const left = await refundableAmount(tx, order.id);
    if (input.amount > left) {
      throw validationFailed({ amount: `At most ${formatMoney(left, order.currency)} is left to refund on this order.` }, 'The refund was not made.');
    }
    const { refund } = await requestRefund(tx, { orderId: order.id, amount: input.amount, reason, source: 'goodwill', idempotencyKey: key });
    await appendOrderEvent(tx, {
      orderId: order.id,
      type: 'goodwill_refund',
      actor,
      details: { refundId: refund.id, amount: refund.amount, currency: refund.currency, reason, message: `Goodwill refund of ${formatMoney(refund.amount, refund.currency)} requested: ${reason}` },
      at: ctx.clock.now(),
    });
    return refund.id;
  });
  // Sent after commit; a provider problem leaves it pending for the retrier (the order page shows it).
  await processRefundsAfterCommit(ctx, [refundId]);
  const [refund] = await ctx.db.select().from(refunds).where(eq(refunds.id, refundId));
  return refund!;
}
