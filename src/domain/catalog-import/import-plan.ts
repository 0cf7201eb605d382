// The dry run and the import: each row matched by SKU (an existing variant is changed) or
// else by handle (a new variant of that product, or a new product), checked with the same
// rules as the product form. Pictures named by URL are fetched before either (never inside
// the transaction) and only for products the file creates, so importing a file twice adds
// no picture twice. Applying recomputes the plan inside one transaction and refuses the
// whole file if any row is refused, so nothing is ever half imported.
import { eq, inArray } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { Conn, Tx } from '../../db/client.ts';
import { categories, productImages, products, variants } from '../../db/schema.ts';
import { productProblems, slugProblem, variantProblems } from '../catalog/catalog-admin.ts';
import { claimSlug, recordSlugChange } from '../catalog/slug-redirects.ts';
import { adjustStock } from '../inventory/inventory-service.ts';
import { announceChange } from '../shared/change-bus.ts';
import { DomainError } from '../shared/errors.ts';
import { storeImage } from '../storage/images.ts';
import { parseProductCsv, type ImportFormat, type ImportRow, type ParsedFile } from './import-rows.ts';
import { fetchPictures, type PictureFetch } from './picture-fetch.ts';

export type PlanAction = 'create product' | 'add variant' | 'change' | 'unchanged' | 'add pictures' | 'refused';
export type PlanLine = { line: number; sku: string; handle: string; action: PlanAction; detail: string };
export type ImportPlan = { format: ImportFormat; lines: PlanLine[]; counts: Record<PlanAction, number> };

/** Picture URLs one file may name: each is a download, and a file is imported while the owner waits. */
export const MAX_PICTURE_URLS = 200;

const dollars = (c: number | null) => (c === null ? 'none' : `$${(c / 100).toFixed(2)}`);
const grams = (g: number | null) => (g === null ? 'none' : `${g} g`);

type Existing = { variantId: string; productSlug: string; price: number; compareAtPrice: number | null; stock: number; options: Record<string, string>; weightGrams: number | null; lengthMm: number | null; widthMm: number | null; heightMm: number | null };
type Planned = ImportPlan & { rows: Map<number, ImportRow>; pictures: Map<string, PictureFetch>; renames: Map<string, string> };

export type PlanDeps = Pick<AppContext, 'db' | 'config'>;

/** The dry run: what the file would do, row by row, with its pictures fetched and checked. */
export async function planImport(ctx: PlanDeps, csv: string): Promise<ImportPlan> {
  const parsed = parseProductCsv(csv);
  const { rows: _r, pictures: _p, renames: _n, ...plan } = await planRows(ctx.db, parsed, await picturesOf(ctx, parsed));
  return plan;
}

/** Imports the whole file in one transaction, or nothing (409 with the plan when a row is refused). */
export async function applyImport(ctx: AppContext, csv: string, staffId?: string): Promise<ImportPlan> {
  const parsed = parseProductCsv(csv);
  const pictures = await picturesOf(ctx, parsed);
  return ctx.db.transaction(async (tx) => {
    const plan = await planRows(tx, parsed, pictures);
    const { rows: _r, pictures: _p, renames: _n, ...shown } = plan;
    if (plan.counts.refused) throw new DomainError('conflict', `${plan.counts.refused} row(s) refused: nothing was imported. Fix them and import again.`, { plan: shown });
    // Renames first, so rows adding variants under the new handle find their product.
    for (const [from, to] of plan.renames) {
      const [product] = await tx.update(products).set({ slug: to, updatedAt: ctx.clock.now() }).where(eq(products.slug, from)).returning({ id: products.id });
      await recordSlugChange(tx, product!.id, from, to);
    }
    for (const l of plan.lines) await applyLine(tx, l, plan.rows.get(l.line)!, staffId, ctx.clock.now());
    await addPictures(ctx, tx, plan);
    await announceChange(tx, 'catalog');
    return shown;
  });
}

/** Fetches the pictures of rows whose product is not in the store yet (the only ones that get pictures). */
async function picturesOf(ctx: PlanDeps, parsed: ParsedFile): Promise<Map<string, PictureFetch>> {
  const handles = [...new Set(parsed.rows.filter((p) => p.row?.images.length).map((p) => p.row!.handle))];
  const inStore = await existingHandles(ctx.db, handles);
  const urls = parsed.rows.flatMap((p) => (p.row && !inStore.has(p.row.handle) ? p.row.images : []));
  return fetchPictures([...new Set(urls)].slice(0, MAX_PICTURE_URLS), { allowPrivate: ctx.config.importAllowPrivate });
}

async function existingHandles(conn: Conn, handles: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < handles.length; i += 1000) {
    for (const p of await conn.select({ slug: products.slug }).from(products).where(inArray(products.slug, handles.slice(i, i + 1000)))) found.add(p.slug);
  }
  return found;
}

async function planRows(conn: Conn, parsed: ParsedFile, pictures: Map<string, PictureFetch>): Promise<Planned> {
  const skus = parsed.rows.map((r) => r.sku).filter(Boolean);
  const existing = new Map<string, Existing>();
  for (let i = 0; i < skus.length; i += 1000) {
    const found = await conn
      .select({ sku: variants.sku, variantId: variants.id, productSlug: products.slug, price: variants.price, compareAtPrice: variants.compareAtPrice, stock: variants.stock, options: variants.options, weightGrams: variants.weightGrams, lengthMm: variants.lengthMm, widthMm: variants.widthMm, heightMm: variants.heightMm })
      .from(variants)
      .innerJoin(products, eq(products.id, variants.productId))
      .where(inArray(variants.sku, skus.slice(i, i + 1000)));
    for (const v of found) existing.set(v.sku, v);
  }
  const inStore = await existingHandles(conn, [...new Set(parsed.rows.map((r) => r.row?.handle).filter((h): h is string => Boolean(h)))]);
  const knownHandles = new Set(inStore);
  const renames = plannedRenames(parsed.rows, existing, knownHandles);
  // New variants under a product's new handle are added to it, not made a new product.
  for (const to of renames.values()) knownHandles.add(to);
  const seenSku = new Map<string, number>();
  const rows = new Map<number, ImportRow>();

  // A row that names a picture which cannot be used is refused with the reason (only where the picture would be added).
  const pictureProblem = (r: ImportRow) => {
    if (inStore.has(r.handle)) return undefined;
    for (const url of r.images) {
      const got = pictures.get(url);
      if (!got) return `Picture ${url}: a file may name at most ${MAX_PICTURE_URLS} picture URLs; import the rest in another file.`;
      if ('problem' in got) return `Picture ${url}: ${got.problem}`;
    }
    return undefined;
  };

  const variantLine = (p: ParsedFile['rows'][number]): PlanLine => {
    const refuse = (detail: string): PlanLine => ({ line: p.line, sku: p.sku, handle: p.row?.handle ?? '', action: 'refused', detail });
    if (!p.row) return refuse(p.refused!);
    const r = p.row;
    if (r.imageOnly) return { line: p.line, sku: '', handle: r.handle, action: 'add pictures', detail: '' }; // settled below, once every product is known
    if (seenSku.has(r.sku)) return refuse(`SKU ${r.sku} is already on line ${seenSku.get(r.sku)}: each SKU once per file.`);
    seenSku.set(r.sku, p.line);
    const variantIssues = Object.values(variantProblems({ sku: r.sku, options: r.options, price: r.price, compareAtPrice: r.compareAtPrice }));
    if (variantIssues.length) return refuse(variantIssues.join(' '));
    const had = existing.get(r.sku);
    if (had) {
      rows.set(p.line, r);
      const renamed = had.productSlug !== r.handle;
      if (renamed && renames.get(had.productSlug) !== r.handle) {
        return refuse(`SKU ${r.sku} belongs to the product ${had.productSlug}, not ${r.handle}. To give that product a new address, give all its rows the same new handle.`);
      }
      const size = (v: Pick<Existing, 'lengthMm' | 'widthMm' | 'heightMm'>) => `${[v.lengthMm, v.widthMm, v.heightMm].map((mm) => mm ?? '–').join(' × ')} mm`;
      const changes = [
        renamed && `address ${had.productSlug} → ${r.handle}`,
        had.price !== r.price && `price ${dollars(had.price)} → ${dollars(r.price)}`,
        had.compareAtPrice !== r.compareAtPrice && `compare-at ${dollars(had.compareAtPrice)} → ${dollars(r.compareAtPrice)}`,
        r.stock !== null && had.stock !== r.stock && `stock ${had.stock} → ${r.stock}`,
        JSON.stringify(had.options) !== JSON.stringify(r.options) && 'options',
        r.weightGrams !== null && had.weightGrams !== r.weightGrams && `weight ${grams(had.weightGrams)} → ${grams(r.weightGrams)}`,
        (r.lengthMm ?? r.widthMm ?? r.heightMm) !== null && size(had) !== size(r) && `size ${size(had)} → ${size(r)}`,
      ].filter(Boolean);
      return { line: p.line, sku: r.sku, handle: r.handle, action: changes.length ? 'change' : 'unchanged', detail: changes.join(', ') || 'Same as in the store.' };
    }
    const picture = pictureProblem(r);
    if (picture) return refuse(picture);
    rows.set(p.line, r);
    const withPictures = r.images.length && !inStore.has(r.handle) ? ` with ${r.images.length} picture${r.images.length > 1 ? 's' : ''}` : '';
    if (knownHandles.has(r.handle)) return { line: p.line, sku: r.sku, handle: r.handle, action: 'add variant', detail: `New variant of ${r.handle} at ${dollars(r.price)}${withPictures}.` };
    const productIssues = Object.values(productProblems({ name: r.name, slug: r.handle, categorySlug: r.category || 'imported', description: r.description, featured: false, active: r.active, specifications: [] }));
    if (productIssues.length) return refuse(productIssues.join(' '));
    knownHandles.add(r.handle);
    return { line: p.line, sku: r.sku, handle: r.handle, action: 'create product', detail: `New product “${r.name}” at ${dollars(r.price)}${withPictures}${r.active ? '' : ' (hidden: not published)'}.` };
  };

  const lines = parsed.rows.map(variantLine).map((l, i): PlanLine => {
    if (l.action !== 'add pictures') return l;
    const r = parsed.rows[i]!.row!;
    if (r.images.length === 0) return { ...l, action: 'unchanged', detail: `The product ${r.handle}: its variants are on their own rows.` };
    if (inStore.has(r.handle)) return { ...l, action: 'unchanged', detail: `${r.handle} is already in the store: its pictures are kept as they are.` };
    if (!knownHandles.has(r.handle)) return { ...l, action: 'refused', detail: `No product ${r.handle} in the file for these pictures.` };
    const problem = pictureProblem(r);
    if (problem) return { ...l, action: 'refused', detail: problem };
    rows.set(l.line, r);
    return { ...l, detail: `${r.images.length} picture${r.images.length === 1 ? '' : 's'} for ${r.handle}.` };
  });
  const counts = { 'create product': 0, 'add variant': 0, change: 0, unchanged: 0, 'add pictures': 0, refused: 0 } as Record<PlanAction, number>;
  for (const l of lines) counts[l.action]++;
  return { format: parsed.format, lines, counts, rows, pictures, renames };
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

async function applyLine(tx: Tx, l: PlanLine, r: ImportRow, staffId: string | undefined, now: Date) {
  if (l.action === 'unchanged' || l.action === 'add pictures') return;
  // Size and weight only when the file gives them: an empty cell keeps what staff entered.
  const parcel = {
    ...(r.weightGrams !== null ? { weightGrams: r.weightGrams } : {}),
    ...(r.lengthMm !== null ? { lengthMm: r.lengthMm } : {}),
    ...(r.widthMm !== null ? { widthMm: r.widthMm } : {}),
    ...(r.heightMm !== null ? { heightMm: r.heightMm } : {}),
  };
  if (l.action === 'change') {
    const [v] = await tx.update(variants).set({ price: r.price, compareAtPrice: r.compareAtPrice, options: r.options, ...parcel }).where(eq(variants.sku, r.sku)).returning({ id: variants.id, stock: variants.stock });
    if (r.stock !== null && r.stock !== v!.stock) await adjustStock(tx, { variantId: v!.id, delta: r.stock - v!.stock, reason: 'set', staffId, note: 'Product import' });
    return;
  }
  let [product] = await tx.select({ id: products.id }).from(products).where(eq(products.slug, r.handle));
  if (!product) {
    const slug = r.category || 'imported';
    await tx.insert(categories).values({ slug, name: slug.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase()) }).onConflictDoNothing();
    const [cat] = await tx.select({ id: categories.id }).from(categories).where(eq(categories.slug, slug));
    await claimSlug(tx, r.handle);
    [product] = await tx.insert(products).values({ slug: r.handle, name: r.name, description: r.description, categoryId: cat!.id, active: r.active, createdAt: now, updatedAt: now }).returning({ id: products.id });
  }
  const position = (await tx.select({ id: variants.id }).from(variants).where(eq(variants.productId, product!.id))).length;
  const [v] = await tx.insert(variants).values({ productId: product!.id, sku: r.sku, options: r.options, price: r.price, compareAtPrice: r.compareAtPrice, position, ...parcel }).returning({ id: variants.id });
  if (r.stock) await adjustStock(tx, { variantId: v!.id, delta: r.stock, reason: 'restock', staffId, note: 'Product import' });
}

/** Stores the fetched pictures of the products this import created, in the file's order, each once. */
async function addPictures(ctx: AppContext, tx: Tx, plan: Planned) {
  const created = new Set(plan.lines.filter((l) => l.action === 'create product').map((l) => l.handle));
  // Each picture once per product, in the file's order, with the alt text its row gave (Shopify's Image Alt Text).
  const byHandle = new Map<string, { name: string; pictures: Map<string, string | undefined> }>();
  for (const l of plan.lines) {
    const r = plan.rows.get(l.line);
    if (!r?.images.length || !created.has(r.handle) || !['create product', 'add variant', 'add pictures'].includes(l.action)) continue;
    const entry = byHandle.get(r.handle) ?? { name: '', pictures: new Map<string, string | undefined>() };
    entry.name ||= r.name;
    r.images.forEach((url, i) => entry.pictures.set(url, entry.pictures.get(url) ?? (i === 0 ? r.imageAlt?.slice(0, 200) : undefined)));
    byHandle.set(r.handle, entry);
  }
  for (const [handle, { name, pictures }] of byHandle) {
    const [product] = await tx.select({ id: products.id, name: products.name }).from(products).where(eq(products.slug, handle));
    let position = 0;
    for (const [url, alt] of pictures) {
      const got = plan.pictures.get(url)!;
      if (!('bytes' in got)) continue;
      const stored = await storeImage(tx, ctx.blobs, got.bytes);
      // Without alt text, the product's name says what the picture shows until staff write a better one.
      await tx.insert(productImages).values({ productId: product!.id, imageKey: stored.imageKey, alt: alt || name || product!.name, width: stored.width, height: stored.height, position: position++ });
    }
  }
}
