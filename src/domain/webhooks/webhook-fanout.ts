// Writes one outbox row per subscribed endpoint for an event, in the caller's transaction:
// the webhook leaves only if the change commits, and never holds up the change itself (the
// worker makes the HTTP call later). Called from appendOrderEvent (every order change) and
// from the places that write stock ledger rows (stock low).
import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Conn } from '../../db/client.ts';
import { orderItems, orders, outbox, products, shipments, variants, webhookEndpoints } from '../../db/schema.ts';
import { wakeOutboxWorkers } from '../notifications/outbox.ts';
import { loadSettings } from '../settings/settings-service.ts';
import { crossedLowStock, webhookEventsFor, type OrderEventFacts, type WebhookEventType } from './webhook-events.ts';
import { orderEventData, type WebhookEvent } from './webhook-payload.ts';

type Endpoint = { id: string; events: string[] };

/** Active endpoints subscribed to any of `types`. A small table: one indexed-enough scan per change. */
async function subscribers(conn: Conn, types: WebhookEventType[]): Promise<Endpoint[]> {
  if (types.length === 0) return [];
  return conn
    .select({ id: webhookEndpoints.id, events: webhookEndpoints.events })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.status, 'active'), sql`${webhookEndpoints.events} ?| array[${sql.join(types.map((t) => sql`${t}`), sql`, `)}]::text[]`));
}

/** Queues `event` for one endpoint; `deliveryId` is new per delivery (a resend gets another). */
export async function enqueueWebhook(conn: Conn, endpointId: string, event: WebhookEvent | { body: string; type: string }): Promise<number> {
  const body = 'body' in event ? event.body : JSON.stringify(event);
  const [row] = await conn
    .insert(outbox)
    .values({ channel: 'webhook', template: event.type, recipient: endpointId, payload: { body, deliveryId: `whd_${randomUUID()}` } })
    .returning({ id: outbox.id });
  return row!.id;
}

async function fanOut(conn: Conn, endpoints: { id: string; events: string[] }[], events: WebhookEvent[]): Promise<void> {
  let queued = 0;
  for (const event of events) {
    for (const endpoint of endpoints.filter((e) => e.events.includes(event.type))) {
      await enqueueWebhook(conn, endpoint.id, event);
      queued++;
    }
  }
  if (queued) await wakeOutboxWorkers(conn);
}

const newEvent = (type: WebhookEventType, at: Date, data: Record<string, unknown>): WebhookEvent => ({
  id: `evt_${randomUUID()}`,
  type,
  createdAt: at.toISOString(),
  data,
});

/** Who listens for a placed order or for low stock: asked once for both by the checkout's order transaction. */
export const checkoutSubscribers = (conn: Conn) => subscribers(conn, ['order.placed', 'stock.low']);

const listeningTo = (endpoints: Endpoint[], types: WebhookEventType[]) => endpoints.filter((ep) => types.some((t) => ep.events.includes(t)));

/** The webhook events of one order timeline event (see webhookEventsFor); `known`: the subscribers already read in this transaction. */
export async function emitOrderWebhooks(conn: Conn, e: OrderEventFacts & { orderId: string; from?: string | null; at?: Date }, known?: Endpoint[]): Promise<void> {
  const types = webhookEventsFor(e);
  const endpoints = known ? listeningTo(known, types) : await subscribers(conn, types);
  if (endpoints.length === 0) return;
  const [order] = await conn.select().from(orders).where(eq(orders.id, e.orderId));
  if (!order) return;
  const items = await conn.select().from(orderItems).where(eq(orderItems.orderId, order.id)).orderBy(asc(orderItems.position));
  const parcels = await conn.select().from(shipments).where(eq(shipments.orderId, order.id)).orderBy(asc(shipments.shippedAt));
  const data = orderEventData(order, items, parcels, e);
  const at = e.at ?? new Date();
  await fanOut(
    conn,
    endpoints,
    types.map((t) => newEvent(t, at, data)),
  );
}

export type StockMove = { variantId: string; delta: number; stockAfter: number };

/** A `stock.low` event for each variant this change brought to or below the threshold (read from settings when not given). */
export async function emitStockLowWebhooks(conn: Conn, moves: StockMove[], threshold?: number, at: Date = new Date(), known?: Endpoint[]): Promise<void> {
  if (!moves.some((m) => m.delta < 0)) return;
  const endpoints = known ? listeningTo(known, ['stock.low']) : await subscribers(conn, ['stock.low']);
  if (endpoints.length === 0) return;
  const limit = threshold ?? (await loadSettings(conn)).lowStockThreshold;
  const low = moves.filter((m) => crossedLowStock(m, limit));
  if (low.length === 0) return;
  const rows = await conn
    .select({ id: variants.id, sku: variants.sku, options: variants.options, productName: products.name, productSlug: products.slug })
    .from(variants)
    .innerJoin(products, eq(products.id, variants.productId))
    .where(inArray(variants.id, low.map((m) => m.variantId)));
  const events = low.flatMap((m) => {
    const v = rows.find((r) => r.id === m.variantId);
    return v
      ? [newEvent('stock.low', at, { variant: { sku: v.sku, productName: v.productName, productSlug: v.productSlug, options: v.options, stock: m.stockAfter, threshold: limit } })]
      : [];
  });
  await fanOut(conn, endpoints, events);
}
