// Reviewing an application: staff approve it (the customer gets the RMA number) or decline it with a reason.
import { eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { orderItems } from '../../db/schema.ts';
import type { Actor } from '../orders/order-events.ts';
import { validationFailed } from '../shared/errors.ts';
import { caseItems, emailCustomer, guard, itemsText, lockCase, move, optionalText, type ReturnCase } from './return-cases.ts';

/** requested → approved: the customer gets the RMA number and the return address (refund only: the refund follows). */
export async function approveReturn(ctx: AppContext, ref: string, actor: Actor, input: { note?: string } = {}): Promise<ReturnCase> {
  const note = optionalText(input.note, 'note');
  return ctx.db.transaction(async (tx) => {
    const { order, rc } = await lockCase(tx, ref);
    guard(rc, 'approved');
    const items = await caseItems(tx, rc.id);
    const moved = await move(ctx, tx, order, rc, 'approved', actor, { details: { note: note ?? null }, message: `approved (${itemsText(items)})${note ? `. Note: ${note}` : ''}` });
    await emailCustomer(ctx, tx, 'return_approved', order, moved, items, { reason: note ?? null });
    return moved;
  });
}

/** requested → declined, with the reason the customer is emailed; the units are free to be asked for again. */
export async function declineReturn(ctx: AppContext, ref: string, actor: Actor, input: { reason: string }): Promise<ReturnCase> {
  const reason = optionalText(input.reason, 'reason');
  if (!reason) throw validationFailed({ reason: 'Say why, in words for the customer: the reason is emailed to them.' });
  return ctx.db.transaction(async (tx) => {
    const { order, rc } = await lockCase(tx, ref);
    guard(rc, 'declined');
    const items = await caseItems(tx, rc.id);
    for (const item of items) {
      await tx
        .update(orderItems)
        .set({ returnRequestedQuantity: sql`greatest(${orderItems.returnRequestedQuantity} - ${item.quantity}, 0)` })
        .where(eq(orderItems.id, item.orderItemId));
    }
    const moved = await move(ctx, tx, order, rc, 'declined', actor, { set: { declineReason: reason }, details: { reason }, message: `declined. Reason given to the customer: ${reason}` });
    await emailCustomer(ctx, tx, 'return_declined', order, moved, items, { reason });
    return moved;
  });
}
