// The stock screen's reads and its one verb: every variant with its stock, the ones running
// low, a variant's ledger with who moved what and why, and a staff adjustment (add/remove
// units or set a counted quantity) that always carries a reason. The moves themselves are
// the inventory service's (setStock / adjustStock): this only validates the staff input.
import { and, asc, count, eq, ilike, inArray, lte, or, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { Conn } from '../../db/client.ts';
import { orders, products, staff, stockLedger, variants } from '../../db/schema.ts';
import { notFound, validationFailed, type FieldErrors } from '../shared/errors.ts';
import { adjustStock, setStock, stockHistory, STOCK_REASONS, type LedgerEntry, type StockChange } from './inventory-service.ts';

export type StockRow = {
  variantId: string;
  sku: string;
  productId: string;
  productName: string;
  options: Record<string, string>;
  stock: number;
  /** Hidden products are listed too (stock may still need counting), marked as such. */
  active: boolean;
  lastChangedAt: Date | null;
};

export type StockLedgerLine = LedgerEntry & { staffName: string | null; orderNumber: string | null };

/** Reasons staff can give when adding or removing units by hand (sales and cancellations move stock by themselves). */
export const MANUAL_REASONS = ['restock', 'adjustment', 'write_off'] as const;
export type ManualReason = (typeof MANUAL_REASONS)[number];

export type StaffStockChange =
  /** Add (positive) or remove (negative) units. */
  | { sku: string; mode: 'delta'; delta: number; kind: string; reason: string }
  /** Set the stock to what was counted on the shelf. */
  | { sku: string; mode: 'set'; quantity: number; reason: string };

const columns = {
  variantId: variants.id,
  sku: variants.sku,
  productId: products.id,
  productName: products.name,
  options: variants.options,
  stock: variants.stock,
  active: products.active,
  lastChangedAt: sql<Date | null>`(select max(${stockLedger.createdAt}) from ${stockLedger} where ${stockLedger.variantId} = ${variants.id})`.mapWith(
    (v) => (v === null ? null : new Date(v)),
  ),
};

/** Variants of products on sale at or below the low-stock threshold, emptiest first. */
export async function lowStock(conn: Conn, threshold: number): Promise<StockRow[]> {
  return conn
    .select(columns)
    .from(variants)
    .innerJoin(products, eq(products.id, variants.productId))
    .where(and(lte(variants.stock, threshold), eq(products.active, true)))
    .orderBy(asc(variants.stock), asc(products.name), asc(variants.sku))
    .limit(200);
}

/** Every variant, by product name, with a search over SKU and product name. */
export async function listStock(conn: Conn, query: { q?: string; page: number; limit: number }): Promise<{ items: StockRow[]; total: number }> {
  const q = query.q?.trim();
  const like = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  const where = like ? or(ilike(variants.sku, like), ilike(products.name, like)) : undefined;
  const items = await conn
    .select(columns)
    .from(variants)
    .innerJoin(products, eq(products.id, variants.productId))
    .where(where)
    .orderBy(asc(products.name), asc(variants.position), asc(variants.sku))
    .limit(query.limit)
    .offset((query.page - 1) * query.limit);
  const [total] = await conn.select({ n: count() }).from(variants).innerJoin(products, eq(products.id, variants.productId)).where(where);
  return { items, total: Number(total?.n ?? 0) };
}

export async function stockRow(conn: Conn, sku: string): Promise<StockRow> {
  const [row] = await conn.select(columns).from(variants).innerJoin(products, eq(products.id, variants.productId)).where(eq(variants.sku, sku));
  if (!row) throw notFound(`SKU ${sku}`);
  return row;
}

/** A variant's stock ledger, newest first, with the staff member's name and the order number. */
export async function stockLedgerOf(conn: Conn, sku: string, limit = 100): Promise<StockLedgerLine[]> {
  const entries = await stockHistory(conn, sku, limit);
  const staffIds = [...new Set(entries.map((e) => e.staffId).filter((id): id is string => id !== null))];
  const orderIds = [...new Set(entries.map((e) => e.orderId).filter((id): id is string => id !== null))];
  const names = staffIds.length ? await conn.select({ id: staff.id, name: staff.name }).from(staff).where(inArray(staff.id, staffIds)) : [];
  const numbers = orderIds.length ? await conn.select({ id: orders.id, number: orders.number }).from(orders).where(inArray(orders.id, orderIds)) : [];
  return entries.map((e) => ({
    ...e,
    staffName: names.find((n) => n.id === e.staffId)?.name ?? null,
    orderNumber: numbers.find((o) => o.id === e.orderId)?.number ?? null,
  }));
}

/** Problems with a staff stock change's reason and kind, by field (the units are checked by the inventory service). */
export function stockChangeProblems(change: StaffStockChange): FieldErrors {
  const fields: FieldErrors = {};
  const reason = change.reason.trim();
  if (!reason) fields.reason = 'Say why the stock changes, e.g. “delivery from supplier” or “counted aisle 3”.';
  else if (reason.length > 500) fields.reason = 'Use at most 500 characters.';
  if (change.mode === 'delta' && !(MANUAL_REASONS as readonly string[]).includes(change.kind)) {
    fields.kind = `Choose one of: ${MANUAL_REASONS.map((r) => STOCK_REASONS[r]).join(', ')}.`;
  }
  return fields;
}

/** A stock change made by a staff member, recorded in the ledger with their reason. */
export async function changeStock(ctx: AppContext, staffId: string, change: StaffStockChange): Promise<StockChange> {
  const fields = stockChangeProblems(change);
  if (Object.keys(fields).length) throw validationFailed(fields);
  const reason = change.reason.trim();
  return ctx.db.transaction((tx) =>
    change.mode === 'set'
      ? setStock(tx, { sku: change.sku, quantity: change.quantity, staffId, note: reason })
      : adjustStock(tx, { sku: change.sku, delta: change.delta, reason: change.kind as ManualReason, staffId, note: reason }),
  );
}
