// Whether an order can have a new after-sales case now: delivered, and inside the return
// window counted from delivery in the shop's time zone.
import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { Conn } from '../../db/client.ts';
import { orderEvents, shipments } from '../../db/schema.ts';
import type { Order } from '../orders/order-service.ts';
import { DomainError } from '../shared/errors.ts';
import { lastReturnDay, returnWindowEnd } from './return-rules.ts';

/** When the order reached the customer: the latest parcel delivered, else the move to "delivered". */
export async function deliveredAt(tx: Conn, orderId: string): Promise<Date | undefined> {
  const [parcel] = await tx
    .select({ at: shipments.deliveredAt })
    .from(shipments)
    .where(and(eq(shipments.orderId, orderId), isNotNull(shipments.deliveredAt)))
    .orderBy(desc(shipments.deliveredAt))
    .limit(1);
  if (parcel?.at) return parcel.at;
  const [event] = await tx
    .select({ at: orderEvents.createdAt })
    .from(orderEvents)
    .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.toStatus, 'delivered')))
    .orderBy(desc(orderEvents.createdAt))
    .limit(1);
  return event?.at;
}

export type Eligibility = { ok: true; deliveredAt: Date; windowEnd: Date } | { ok: false; error: DomainError };

/** Whether the order can have a new after-sales case now; the refusal is a 409 the customer can read. */
export function eligibility(ctx: AppContext, order: Pick<Order, 'number' | 'status'>, delivered: Date | undefined): Eligibility {
  if (order.status === 'cancelled') {
    return { ok: false, error: new DomainError('conflict', `Order ${order.number} was cancelled, so there is nothing to send back.`, { reason: 'cancelled' }) };
  }
  if (order.status !== 'delivered' || !delivered) {
    return {
      ok: false,
      error: new DomainError(
        'conflict',
        `Order ${order.number} has not been delivered yet. You can apply for a return, an exchange or a refund once it has arrived; until then you can follow it on the tracking page.`,
        { reason: 'not_delivered' },
      ),
    };
  }
  const { windowDays } = ctx.settings().returns;
  const zone = ctx.settings().serviceHours.timeZone;
  const windowEnd = returnWindowEnd(delivered, windowDays, zone);
  if (ctx.clock.now().getTime() >= windowEnd.getTime()) {
    return {
      ok: false,
      error: new DomainError(
        'conflict',
        `The return window for order ${order.number} closed on ${lastReturnDay(windowEnd, zone)} (${windowDays} days after delivery). If something is wrong with your order, please contact us and we will look at it with you.`,
        { reason: 'window_closed', windowEnd: windowEnd.toISOString() },
      ),
    };
  }
  return { ok: true, deliveredAt: delivered, windowEnd };
}
