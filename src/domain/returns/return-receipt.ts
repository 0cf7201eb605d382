// Receiving a return: staff record the condition of what came back; stock follows the condition.
import { and, eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { orderItems, returnItems } from '../../db/schema.ts';
import { adjustStock, recordWriteOff } from '../inventory/inventory-service.ts';
import type { Actor } from '../orders/order-events.ts';
import { DomainError, validationFailed, type FieldErrors } from '../shared/errors.ts';
import { caseItems, guard, lockCase, move, staffIdOf, type CaseItem, type ReturnCase } from './return-cases.ts';
import { isReceivedCondition, type ReceivedCondition } from './return-rules.ts';

export type ReceiveInput = {
  /** The condition of every item, unless given per item. */
  condition?: string;
  items?: { sku: string; condition: string }[];
};

/**
 * approved → received: staff record what came back. Resellable units go back on the shelf
 * (stock ledger "restock"); damaged ones are written off (ledger "write_off", stock unchanged).
 */
export async function receiveReturn(ctx: AppContext, ref: string, actor: Actor, input: ReceiveInput = {}): Promise<ReturnCase> {
  return ctx.db.transaction(async (tx) => {
    const { order, rc } = await lockCase(tx, ref);
    guard(rc, 'received');
    const items = await caseItems(tx, rc.id);
    const found = conditionsFor(items, input);

    for (const item of items) {
      const condition = found.get(item.id)!;
      const who = { orderId: order.id, staffId: staffIdOf(actor), note: `Return ${rc.number}` };
      // A variant deleted since the sale has no shelf to go back to: nothing to restock or write off.
      if (item.variantId && condition === 'resellable') await adjustStock(tx, { variantId: item.variantId, delta: item.quantity, reason: 'restock', ...who });
      if (item.variantId && condition === 'damaged') await recordWriteOff(tx, { variantId: item.variantId, quantity: item.quantity, ...who });
      await tx.update(returnItems).set({ condition }).where(eq(returnItems.id, item.id));
      const [counted] = await tx
        .update(orderItems)
        .set({ returnReceivedQuantity: sql`${orderItems.returnReceivedQuantity} + ${item.quantity}` })
        .where(and(eq(orderItems.id, item.orderItemId), sql`${orderItems.returnReceivedQuantity} + ${item.quantity} <= ${orderItems.returnRequestedQuantity}`))
        .returning({ id: orderItems.id });
      if (!counted) throw new DomainError('conflict', `More units of ${item.sku} would be received than were asked to be returned.`, { sku: item.sku });
    }
    const conditions = new Set(found.values());
    const overall = conditions.size === 1 ? [...conditions][0]! : 'mixed';
    const lines = items.map((i) => ({ sku: i.sku, quantity: i.quantity, condition: found.get(i.id)! }));
    return move(ctx, tx, order, rc, 'received', actor, {
      set: { receivedCondition: overall },
      details: { lines },
      message: `received: ${lines.map((l) => `${l.quantity} × ${l.sku} ${l.condition === 'resellable' ? 'resellable, restocked' : 'damaged, written off'}`).join('; ')}`,
    });
  });
}

/** Every item's condition from the input: per item, else the one for all; 422 naming what is missing. */
function conditionsFor(items: CaseItem[], input: ReceiveInput): Map<string, ReceivedCondition> {
  const errors: FieldErrors = {};
  const all = input.condition === undefined || input.condition === '' ? undefined : input.condition;
  if (all !== undefined && !isReceivedCondition(all)) errors.condition = 'Choose resellable or damaged.';
  const perSku = new Map<string, ReceivedCondition>();
  (input.items ?? []).forEach((given, i) => {
    if (!items.some((item) => item.sku === given.sku)) errors[`items.${i}.sku`] = `${given.sku} is not in this case.`;
    else if (!isReceivedCondition(given.condition)) errors[`items.${i}.condition`] = `Choose resellable or damaged for ${given.sku}.`;
    else perSku.set(given.sku, given.condition);
  });
  const found = new Map<string, ReceivedCondition>();
  for (const item of items) {
    const condition = perSku.get(item.sku) ?? (isReceivedCondition(all) ? all : undefined);
    if (condition) found.set(item.id, condition);
    else errors[`condition.${item.sku}`] ??= `Say whether ${item.sku} can be sold again (resellable) or not (damaged).`;
  }
  if (Object.keys(errors).length) throw validationFailed(errors, 'Record the condition of every item that came back.');
  return found;
}
