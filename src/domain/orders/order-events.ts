// Appends to an order's audit timeline. Called inside the transaction that made the change,
// which makes it the one place every order change passes: the webhook fan-out sits here too.
import type { Conn } from '../../db/client.ts';
import { orderEvents } from '../../db/schema.ts';
import { emitOrderWebhooks } from '../webhooks/webhook-fanout.ts';

/** Who did something: a staff member, the customer, or the system (worker, webhook). */
export type Actor = { kind: 'staff'; staffId: string; email: string } | { kind: 'customer' } | { kind: 'system'; name?: string };

export const actorLabel = (a: Actor) => (a.kind === 'staff' ? a.email : a.kind === 'system' && a.name ? `system:${a.name}` : a.kind);

export type OrderEventInput = { orderId: string; type: string; actor: Actor; from?: string | null; to?: string | null; details?: Record<string, unknown>; internal?: boolean; at?: Date };

/** The timeline row for `e`, for a caller that writes it within a larger statement (then it calls emitOrderWebhooks itself). */
export const orderEventRow = (e: OrderEventInput) => ({
  orderId: e.orderId,
  type: e.type,
  fromStatus: e.from ?? null,
  toStatus: e.to ?? null,
  actor: actorLabel(e.actor),
  staffId: e.actor.kind === 'staff' ? e.actor.staffId : null,
  internal: e.internal ?? false,
  details: e.details ?? {},
  ...(e.at ? { createdAt: e.at } : {}),
});

export async function appendOrderEvent(conn: Conn, e: OrderEventInput): Promise<void> {
  await conn.insert(orderEvents).values(orderEventRow(e));
  await emitOrderWebhooks(conn, e);
}
