// The dry run and the import: each row matched by SKU (an existing variant is changed) or
// else by handle (a new variant of that product, or a new product), checked with the same
// rules as the product form. Applying recomputes the plan inside one transaction and
// refuses the whole file if any row is refused, so nothing is ever half imported.
import { eq, inArray } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { Conn, Tx } from '../../db/client.ts';
import { categories, products, variants } from '../../db/schema.ts';
import { productProblems, slugProblem, variantProblems } from '../catalog/catalog-admin.ts';
import { claimSlug, recordSlugChange } from '../catalog/slug-redirects.ts';
import { adjustStock } from '../inventory/inventory-service.ts';
import { announceChange } from '../shared/change-bus.ts';
import { DomainError } from '../shared/errors.ts';
import { parseProductCsv, type ImportFormat, type ImportRow } from './import-rows.ts';

export type PlanAction = 'create product' | 'add variant' | 'change' | 'unchanged' | 'refused';
export type PlanLine = { line: number; sku: string; handle: string; action: PlanAction; detail: string };
export type ImportPlan = { format: ImportFormat; lines: PlanLine[]; counts: Record<PlanAction, number> };

const dollars = (c: number | null) => (c === null ? 'none' : `$${(c / 100).toFixed(2)}`);

type Existing = { variantId: string; productSlug: string; price: number; compareAtPrice: number | null; stock: number; options: Record<string, string> };

export async function planImport(conn: Conn, csv: string): Promise<ImportPlan & { rows: Map<number, ImportRow>; renames: Map<string, string> }> {
  const parsed = parseProductCsv(csv);
  const skus = parsed.rows.map((r) => r.sku).filter(Boolean);
  const handles = parsed.rows.map((r) => r.row?.handle).filter((h): h is string => Boolean(h));
  const existing = new Map<string, Existing>();
  for (let i = 0; i < skus.length; i += 1000) {
    const found = await conn
      .select({ sku: variants.sku, variantId: variants.id, productSlug: products.slug, price: variants.price, compareAtPrice: variants.compareAtPrice, stock: variants.stock, options: variants.options })
      .from(variants)
      .innerJoin(products, eq(products.id, variants.productId))
      .where(inArray(variants.sku, skus.slice(i, i + 1000)));
    for (const v of found) existing.set(v.sku, v);
  }
  const knownHandles = new Set<string>();
  for (let i = 0; i < handles.length; i += 1000) {
    for (const p of await conn.select({ slug: products.slug }).from(products).where(inArray(products.slug, handles.slice(i, i + 1000)))) knownHandles.add(p.slug);
  }
  const renames = plannedRenames(parsed.rows, existing, knownHandles);
  // New variants under a product's new handle are added to it, not made a new product.
  for (const to of renames.values()) knownHandles.add(to);
  const seenSku = new Map<string, number>();
  const rows = new Map<number, ImportRow>();
  const lines = parsed.rows.map((p): PlanLine => {
    const refuse = (detail: string): PlanLine => ({ line: p.line, sku: p.sku, handle: p.row?.handle ?? '', action: 'refused', detail });
    if (!p.row) return refuse(p.refused!);
    const r = p.row;
    if (seenSku.has(r.sku)) return refuse(`SKU ${r.sku} is already on line ${seenSku.get(r.sku)}: each SKU once per file.`);
    seenSku.set(r.sku, p.line);
    const variantIssues = Object.values(variantProblems({ sku: r.sku, options: r.options, price: r.price, compareAtPrice: r.compareAtPrice }));
    if (variantIssues.length) return refuse(variantIssues.join(' '));
    const had = existing.get(r.sku);
    rows.set(p.line, r);
    if (had) {
      const renamed = had.productSlug !== r.handle;
      if (renamed && renames.get(had.productSlug) !== r.handle) {
        return refuse(`SKU ${r.sku} belongs to the product ${had.productSlug}, not ${r.handle}. To give that product a new address, give all its rows the same new handle.`);
      }
      const changes = [
        renamed && `address ${had.productSlug} → ${r.handle}`,
        had.price !== r.price && `price ${dollars(had.price)} → ${dollars(r.price)}`,
        had.compareAtPrice !== r.compareAtPrice && `compare-at ${dollars(had.compareAtPrice)} → ${dollars(r.compareAtPrice)}`,
        r.stock !== null && had.stock !== r.stock && `stock ${had.stock} → ${r.stock}`,
        JSON.stringify(had.options) !== JSON.stringify(r.options) && 'options',
      ].filter(Boolean);
      return { line: p.line, sku: r.sku, handle: r.handle, action: changes.length ? 'change' : 'unchanged', detail: changes.join(', ') || 'Same as in the store.' };
    }
    if (knownHandles.has(r.handle)) return { line: p.line, sku: r.sku, handle: r.handle, action: 'add variant', detail: `New variant of ${r.handle} at ${dollars(r.price)}.` };
    const productIssues = Object.values(productProblems({ name: r.name, slug: r.handle, categorySlug: r.category || 'imported', description: r.description, featured: false, active: true, specifications: [] }));
    if (productIssues.length) return refuse(productIssues.join(' '));
    knownHandles.add(r.handle);
    return { line: p.line, sku: r.sku, handle: r.handle, action: 'create product', detail: `New product “${r.name}” at ${dollars(r.price)}.` };
  });
  const counts = { 'create product': 0, 'add variant': 0, change: 0, unchanged: 0, refused: 0 } as Record<PlanAction, number>;
  for (const l of lines) counts[l.action]++;
  return { format: parsed.format, lines, counts, rows, renames };
}

/**
 * A file renames a product (its handle, the last part of its address) when every row of that
 * product carries one new handle that no other product uses. Rows that disagree rename nothing
 * and are refused: a typo in one row must not move a product.
 */
function plannedRenames(rows: { row?: ImportRow }[], existing: Map<string, Existing>, knownHandles: Set<string>): Map<string, string> {
  const handlesOf = new Map<string, Set<string>>();
  const note = (product: string, handle: string) => handlesOf.set(product, (handlesOf.get(product) ?? new Set()).add(handle));
  for (const { row } of rows) {
    if (!row) continue;
    const had = existing.get(row.sku);
    if (had) note(had.productSlug, row.handle);
    // A new variant under the old handle keeps the product where it is.
    else if (knownHandles.has(row.handle)) note(row.handle, row.handle);
  }
  const renames = new Map<string, string>();
  const targets = new Map<string, number>();
  for (const [from, handles] of handlesOf) {
    const [to] = [...handles];
    if (handles.size === 1 && to !== from && !knownHandles.has(to!) && !slugProblem(to!)) {
      renames.set(from, to!);
      targets.set(to!, (targets.get(to!) ?? 0) + 1);
    }
  }
  // Two products cannot move to one address.
  for (const [from, to] of renames) if (targets.get(to)! > 1) renames.delete(from);
  return renames;
}

/** Imports the whole file in one transaction, or nothing (409 with the plan when a row is refused). */
export async function applyImport(ctx: AppContext, csv: string, staffId?: string): Promise<ImportPlan> {
  return ctx.db.transaction(async (tx) => {
    const plan = await planImport(tx, csv);
    if (plan.counts.refused) throw new DomainError('conflict', `${plan.counts.refused} row(s) refused: nothing was imported. Fix them and import again.`, { plan });
    // Renames first, so rows adding variants under the new handle find their product.
    for (const [from, to] of plan.renames) {
      const [product] = await tx.update(products).set({ slug: to, updatedAt: ctx.clock.now() }).where(eq(products.slug, from)).returning({ id: products.id });
      await recordSlugChange(tx, product!.id, from, to);
    }
    for (const l of plan.lines) await applyLine(tx, l, plan.rows.get(l.line)!, staffId, ctx.clock.now());
    await announceChange(tx, 'catalog');
    return { format: plan.format, lines: plan.lines, counts: plan.counts };
  });
}

async function applyLine(tx: Tx, l: PlanLine, r: ImportRow, staffId: string | undefined, now: Date) {
  if (l.action === 'unchanged') return;
  if (l.action === 'change') {
    const [v] = await tx.update(variants).set({ price: r.price, compareAtPrice: r.compareAtPrice, options: r.options }).where(eq(variants.sku, r.sku)).returning({ id: variants.id, stock: variants.stock });
    if (r.stock !== null && r.stock !== v!.stock) await adjustStock(tx, { variantId: v!.id, delta: r.stock - v!.stock, reason: 'set', staffId, note: 'Product import' });
    return;
  }
  let [product] = await tx.select({ id: products.id }).from(products).where(eq(products.slug, r.handle));
  if (!product) {
    const slug = r.category || 'imported';
    await tx.insert(categories).values({ slug, name: slug.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase()) }).onConflictDoNothing();
    const [cat] = await tx.select({ id: categories.id }).from(categories).where(eq(categories.slug, slug));
    await claimSlug(tx, r.handle);
    [product] = await tx.insert(products).values({ slug: r.handle, name: r.name, description: r.description, categoryId: cat!.id, createdAt: now, updatedAt: now }).returning({ id: products.id });
  }
  const position = (await tx.select({ id: variants.id }).from(variants).where(eq(variants.productId, product!.id))).length;
  const [v] = await tx.insert(variants).values({ productId: product!.id, sku: r.sku, options: r.options, price: r.price, compareAtPrice: r.compareAtPrice, position }).returning({ id: variants.id });
  if (r.stock) await adjustStock(tx, { variantId: v!.id, delta: r.stock, reason: 'restock', staffId, note: 'Product import' });
}
