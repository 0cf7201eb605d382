// Stock changes made by people and after-sales: set a counted quantity, or move stock up or
// down with a reason. Every change is one conditional UPDATE (never read-then-write), writes
// a stock ledger row (who, how much, why, the stock after) and tells every instance's caches.
import { desc, eq, sql } from 'drizzle-orm';
import type { Conn, Tx } from '../../db/client.ts';
import { products, stockLedger, variants } from '../../db/schema.ts';
import { announceChange } from '../shared/change-bus.ts';
import { emitStockLowWebhooks } from '../webhooks/webhook-fanout.ts';
import { notFound, validationFailed } from '../shared/errors.ts';
import type { Money } from '../shared/money.ts';

/** Why stock moved; stored on every ledger row. */
export const STOCK_REASONS = {
  /** Sold in an order. */
  sale: 'Sold',
  /** Back on the shelf because an order was cancelled. */
  cancel: 'Order cancelled',
  /** An order's items were changed before shipping. */
  modify: 'Order changed',
  /** Counted by staff and set to the counted quantity. */
  set: 'Stock count',
  /** Corrected by staff up or down (found, miscounted). */
  adjustment: 'Adjustment',
  /** Put back on the shelf: a supplier's delivery or a resellable return. */
  restock: 'Restocked',
  /** Damaged, lost or unsellable. */
  write_off: 'Written off',
  /** Sent out as a replacement in an exchange. */
  exchange: 'Exchange sent',
} as const;

export type StockReason = keyof typeof STOCK_REASONS;

/** Upper bound for one variant's stock: catches a typo of extra zeros. */
export const MAX_STOCK = 1_000_000;

export type VariantStock = {
  sku: string;
  productName: string;
  options: Record<string, string>;
  price: Money;
  stock: number;
  /** When the stock last changed (latest ledger row); undefined if it never did since it was added. */
  updatedAt?: Date;
};

export type StockChange = { sku: string; variantId: string; delta: number; stockAfter: number };

type Who = { staffId?: string | null; orderId?: string | null; note?: string | null };

export async function findVariantStock(conn: Conn, sku: string): Promise<VariantStock | null> {
  const [row] = await conn
    .select({
      sku: variants.sku,
      productName: products.name,
      options: variants.options,
      price: variants.price,
      currency: variants.currency,
      stock: variants.stock,
      updatedAt: sql<Date | null>`(select max(${stockLedger.createdAt}) from ${stockLedger} where ${stockLedger.variantId} = ${variants.id})`.mapWith(
        (v) => (v === null ? null : new Date(v)),
      ),
    })
    .from(variants)
    .innerJoin(products, eq(products.id, variants.productId))
    .where(eq(variants.sku, sku));
  if (!row) return null;
  return {
    sku: row.sku,
    productName: row.productName,
    options: row.options,
    price: { amount: row.price, currency: row.currency },
    stock: row.stock,
    ...(row.updatedAt ? { updatedAt: row.updatedAt } : {}),
  };
}

/** Sets a variant's stock to a counted quantity (ledger reason `set`, delta = the difference). */
export async function setStock(tx: Tx, input: { sku: string; quantity: number } & Who): Promise<StockChange> {
  const { sku, quantity } = input;
  if (!Number.isInteger(quantity) || quantity < 0 || quantity > MAX_STOCK) {
    throw validationFailed({ quantity: `Enter a whole number from 0 to ${MAX_STOCK.toLocaleString('en-US')}.` });
  }
  // The row lock makes "stock before" exact even while checkouts sell this variant.
  const [before] = await tx.select({ id: variants.id, stock: variants.stock }).from(variants).where(eq(variants.sku, sku)).for('update');
  if (!before) throw notFound(`SKU ${sku}`);
  await tx.update(variants).set({ stock: quantity }).where(eq(variants.id, before.id));
  return record(tx, { sku, variantId: before.id, delta: quantity - before.stock, stockAfter: quantity }, 'set', input);
}

/**
 * Moves a variant's stock by `delta` (positive puts units back) with a reason. Refuses to go
 * below zero, naming how many there are. Runs in the caller's transaction, so a return or a
 * cancellation and its stock move commit together.
 */
export async function adjustStock(
  tx: Tx,
  input: ({ sku: string; variantId?: undefined } | { variantId: string; sku?: undefined }) & { delta: number; reason: StockReason } & Who,
): Promise<StockChange> {
  const { delta, reason } = input;
  if (!Number.isInteger(delta) || delta === 0 || Math.abs(delta) > MAX_STOCK) {
    throw validationFailed({ delta: 'Enter a whole number of units to add or remove, other than 0.' });
  }
  const which = input.sku !== undefined ? eq(variants.sku, input.sku) : eq(variants.id, input.variantId);
  const [after] = await tx
    .update(variants)
    .set({ stock: sql`${variants.stock} + ${delta}` })
    .where(sql`${which} and ${variants.stock} + ${delta} between 0 and ${MAX_STOCK}`)
    .returning({ id: variants.id, sku: variants.sku, stock: variants.stock });
  if (!after) {
    const [current] = await tx.select({ stock: variants.stock }).from(variants).where(which);
    if (!current) throw notFound(input.sku !== undefined ? `SKU ${input.sku}` : 'Variant');
    throw validationFailed({
      delta: delta < 0 ? `Only ${current.stock} in stock: cannot remove ${-delta}.` : `Stock cannot go above ${MAX_STOCK.toLocaleString('en-US')}.`,
    });
  }
  return record(tx, { sku: after.sku, variantId: after.id, delta, stockAfter: after.stock }, reason, input);
}

/**
 * Records returned units that cannot be sold again (found damaged): a ledger row with reason
 * `write_off` and delta 0, since those units left the stock when they were sold. The note
 * says how many, so the ledger shows what was lost even though the stock does not move.
 */
export async function recordWriteOff(tx: Tx, input: { variantId: string; quantity: number } & Who): Promise<StockChange> {
  const [v] = await tx.select({ sku: variants.sku, stock: variants.stock }).from(variants).where(eq(variants.id, input.variantId));
  if (!v) throw notFound('Variant');
  const note = [`${input.quantity} unit${input.quantity === 1 ? '' : 's'} written off`, input.note?.trim()].filter(Boolean).join(': ');
  return record(tx, { sku: v.sku, variantId: input.variantId, delta: 0, stockAfter: v.stock }, 'write_off', { ...input, note });
}

async function record(tx: Tx, change: StockChange, reason: StockReason, who: Who): Promise<StockChange> {
  await tx.insert(stockLedger).values({
    variantId: change.variantId,
    delta: change.delta,
    stockAfter: change.stockAfter,
    reason,
    note: who.note?.trim() || null,
    staffId: who.staffId ?? null,
    orderId: who.orderId ?? null,
  });
  await emitStockLowWebhooks(tx, [change]);
  await announceChange(tx, 'catalog');
  return change;
}

export type LedgerEntry = { id: number; delta: number; stockAfter: number; reason: string; note: string | null; staffId: string | null; orderId: string | null; createdAt: Date };

/** The newest stock movements of one variant, newest first. */
export async function stockHistory(conn: Conn, sku: string, limit = 50): Promise<LedgerEntry[]> {
  return conn
    .select({
      id: stockLedger.id,
      delta: stockLedger.delta,
      stockAfter: stockLedger.stockAfter,
      reason: stockLedger.reason,
      note: stockLedger.note,
      staffId: stockLedger.staffId,
      orderId: stockLedger.orderId,
      createdAt: stockLedger.createdAt,
    })
    .from(stockLedger)
    .innerJoin(variants, eq(variants.id, stockLedger.variantId))
    .where(eq(variants.sku, sku))
    .orderBy(desc(stockLedger.id))
    .limit(limit);
}
