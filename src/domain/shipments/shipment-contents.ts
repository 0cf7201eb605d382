// What each parcel carries. A shipment lists order lines and units (shipment_items); what is
// not in any parcel yet can go in a later one. A handover that names no lines carries
// everything not shipped yet, so the typed handover of a one-parcel order needs nothing new.
import { eq, sql } from 'drizzle-orm';
import type { Conn, Tx } from '../../db/client.ts';
import { orderItems, shipmentItems, shipments, type LabelItem } from '../../db/schema.ts';
import { DomainError, validationFailed } from '../shared/errors.ts';

export type LineLeft = { orderItemId: string; sku: string; productName: string; variantId: string | null; ordered: number; shipped: number; left: number };

/** Every line of the order with how many units are already in a parcel and how many are left. */
export async function linesLeftToShip(conn: Conn, orderId: string): Promise<LineLeft[]> {
  const rows = await conn
    .select({
      orderItemId: orderItems.id,
      sku: orderItems.sku,
      productName: orderItems.productName,
      variantId: orderItems.variantId,
      ordered: orderItems.quantity,
      shipped: sql<number>`coalesce((select sum(${shipmentItems.quantity}) from ${shipmentItems} where ${shipmentItems.orderItemId} = ${orderItems.id}), 0)::int`,
    })
    .from(orderItems)
    .where(eq(orderItems.orderId, orderId))
    .orderBy(orderItems.position);
  return rows.map((r) => ({ ...r, left: Math.max(0, r.ordered - r.shipped) }));
}

/**
 * Units of the order not in any parcel yet: the order is only delivered once this is 0 and every
 * parcel arrived. Parcels handed over before contents were recorded list nothing: such an order counts as complete.
 */
export async function unitsLeftToShip(conn: Conn, orderId: string): Promise<number> {
  const lines = await linesLeftToShip(conn, orderId);
  if (lines.every((l) => l.shipped === 0)) return 0;
  return lines.reduce((n, l) => n + l.left, 0);
}

/**
 * Checks a parcel's contents against what is left: known lines, whole positive units, no more
 * than is left. Without `requested` the parcel carries everything left. Field errors are keyed
 * `items.<orderItemId>`, as the forms name their quantity fields.
 */
export function parcelContents(left: LineLeft[], requested: LabelItem[] | undefined): LabelItem[] {
  if (!requested) return left.filter((l) => l.left > 0).map((l) => ({ orderItemId: l.orderItemId, quantity: l.left }));
  const errors: Record<string, string> = {};
  const out: LabelItem[] = [];
  for (const r of requested) {
    const line = left.find((l) => l.orderItemId === r.orderItemId);
    if (!line) throw new DomainError('validation_failed', 'That line is not part of this order.', { fields: { items: 'Choose lines of this order.' } });
    if (!Number.isInteger(r.quantity) || r.quantity < 0) errors[`items.${r.orderItemId}`] = 'Enter a whole number of units.';
    else if (r.quantity > line.left) errors[`items.${r.orderItemId}`] = line.left === 0 ? `All ${line.ordered} of ${line.sku} are already shipped.` : `Only ${line.left} of ${line.sku} are left to ship.`;
    else if (r.quantity > 0) out.push({ orderItemId: r.orderItemId, quantity: r.quantity });
  }
  if (Object.keys(errors).length) throw validationFailed(errors, 'Some quantities do not fit what is left to ship.');
  if (out.length === 0) throw validationFailed({ items: 'Put at least one unit in the parcel.' }, 'The parcel is empty.');
  return out;
}

/** Writes what the new shipment carries (inside the handover's transaction, with the order locked). */
export async function recordShipmentContents(tx: Tx, orderId: string, shipmentId: string, requested: LabelItem[] | undefined): Promise<LabelItem[]> {
  const left = await linesLeftToShip(tx, orderId);
  // A further parcel of an order already fully shipped (a second box of the same goods) lists nothing.
  if (!requested && left.every((l) => l.left === 0)) return [];
  const contents = parcelContents(left, requested);
  await tx.insert(shipmentItems).values(contents.map((c) => ({ shipmentId, orderItemId: c.orderItemId, quantity: c.quantity })));
  return contents;
}

/** Contents of each of an order's shipments: shipment id → lines. */
export async function shipmentContents(conn: Conn, orderId: string): Promise<Map<string, { sku: string; productName: string; quantity: number }[]>> {
  const rows = await conn
    .select({ shipmentId: shipmentItems.shipmentId, sku: orderItems.sku, productName: orderItems.productName, quantity: shipmentItems.quantity })
    .from(shipmentItems)
    .innerJoin(shipments, eq(shipments.id, shipmentItems.shipmentId))
    .innerJoin(orderItems, eq(orderItems.id, shipmentItems.orderItemId))
    .where(eq(shipments.orderId, orderId))
    .orderBy(orderItems.position);
  const out = new Map<string, { sku: string; productName: string; quantity: number }[]>();
  for (const r of rows) out.set(r.shipmentId, [...(out.get(r.shipmentId) ?? []), { sku: r.sku, productName: r.productName, quantity: r.quantity }]);
  return out;
}
