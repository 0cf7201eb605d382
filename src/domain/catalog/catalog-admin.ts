// Editing the catalog from the back office: products (with their specifications), variants
// and images. Every change is one transaction that locks the product row (two people
// editing one product take turns), validates with field errors named after the form
// fields, and announces a catalog change so every instance drops its cached pages.
import { asc, count, eq, max } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { Conn, Tx } from '../../db/client.ts';
import { categories, orderItems, productImages, products, variants, type Specification } from '../../db/schema.ts';
import { parcelProblems, parcelValues, taxCategoryProblems, type ParcelInput } from './parcel-fields.ts';
import { adjustStock, MAX_STOCK } from '../inventory/inventory-service.ts';
import { announceChange } from '../shared/change-bus.ts';
import { DomainError, notFound, validationFailed, type FieldErrors } from '../shared/errors.ts';
import { imageBlobKey, IMAGE_SIZES, storeImage } from '../storage/images.ts';
import { isUuid, type AdminImage } from './catalog-admin-queries.ts';
import { imageUrl } from './catalog-repo.ts';
import { claimSlug, recordSlugChange } from './slug-redirects.ts';
import { uniqueViolation } from '../../db/pg-errors.ts';

export type ProductInput = {
  name: string;
  /** Empty: made from the name. */
  slug: string;
  categorySlug: string;
  description: string;
  featured: boolean;
  active: boolean;
  /** In display order; rows with both parts empty are dropped. */
  specifications: Specification[];
  /** Sales-tax category (tax-table.ts); omitted: general for a new product, unchanged otherwise. */
  taxCategory?: string;
};

export type VariantInput = {
  sku: string;
  /** Option values such as { colour: "Oat" }; empty for a product sold in one version. */
  options: Record<string, string>;
  /** Cents. */
  price: number;
  /** Cents; shown struck through when above the price. */
  compareAtPrice: number | null;
} & ParcelInput;

export const MAX_SPECIFICATIONS = 30;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SKU = /^[A-Z0-9][A-Z0-9._-]{0,39}$/;
const MAX_PRICE = 100_000_000; // $1,000,000: catches a typo of extra zeros

/** "Linen Table Lamp (Oat)" → "linen-table-lamp-oat". */
export const slugify = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');

// ---------------------------------------------------------------- products

/** Creates a product with its first variant (and opening stock, recorded in the stock ledger). */
export async function createProduct(
  ctx: AppContext,
  input: { product: ProductInput; variant: VariantInput; openingStock?: number; staffId?: string },
): Promise<{ id: string; slug: string }> {
  const fields = { ...productProblems(input.product), ...variantProblems(input.variant) };
  if (input.openingStock !== undefined && (!Number.isInteger(input.openingStock) || input.openingStock < 0 || input.openingStock > MAX_STOCK)) {
    fields.openingStock = `Enter a whole number from 0 to ${MAX_STOCK.toLocaleString('en-US')}.`;
  }
  if (Object.keys(fields).length) throw validationFailed(fields);
  return uniqueOrRefused(() =>
    ctx.db.transaction(async (tx) => {
      const values = await productValues(tx, input.product, undefined);
      await refuseTakenSku(tx, input.variant.sku, undefined);
      await claimSlug(tx, values.slug);
      const [created] = await tx
        .insert(products)
        .values({ ...values, createdAt: ctx.clock.now(), updatedAt: ctx.clock.now() })
        .returning({ id: products.id, slug: products.slug });
      const [variant] = await tx
        .insert(variants)
        .values({ ...variantValues(input.variant), productId: created!.id, position: 0 })
        .returning({ id: variants.id });
      if (input.openingStock) {
        await adjustStock(tx, { variantId: variant!.id, delta: input.openingStock, reason: 'restock', staffId: input.staffId, note: 'Opening stock' });
      }
      await announceChange(tx, 'catalog');
      return created!;
    }),
  );
}

export async function updateProduct(ctx: AppContext, id: string, input: ProductInput): Promise<{ id: string; slug: string }> {
  const fields = productProblems(input);
  if (Object.keys(fields).length) throw validationFailed(fields);
  return uniqueOrRefused(() =>
    inProduct(ctx, id, async (tx) => {
      const values = await productValues(tx, input, id);
      const [before] = await tx.select({ slug: products.slug }).from(products).where(eq(products.id, id));
      // The old address keeps working (301) for links and search engines that know it.
      await recordSlugChange(tx, id, before!.slug, values.slug);
      const [updated] = await tx
        .update(products)
        .set({ ...values, updatedAt: ctx.clock.now() })
        .where(eq(products.id, id))
        .returning({ id: products.id, slug: products.slug });
      return updated!;
    }),
  );
}

/** Problems with a product’s own fields, by field name (the database checks come later). */
export function productProblems(p: ProductInput): FieldErrors {
  const fields: FieldErrors = {};
  const name = p.name.trim();
  if (!name) fields.name = 'Enter the product name.';
  else if (name.length > 120) fields.name = 'Use at most 120 characters.';
  const slug = p.slug.trim() || slugify(name);
  if (name && !slug) fields.slug = 'Enter a web address made of letters and digits, e.g. linen-table-lamp.';
  else if (slug && slugProblem(slug)) fields.slug = slugProblem(slug)!;
  if (!p.categorySlug.trim()) fields.category = 'Choose a category.';
  if (p.description.length > 5000) fields.description = 'Use at most 5,000 characters.';
  const specs = cleanSpecifications(p.specifications);
  if (specs.length > MAX_SPECIFICATIONS) fields.specifications = `Use at most ${MAX_SPECIFICATIONS} rows.`;
  specs.forEach((s, i) => {
    if (!s.name || !s.value) fields[`specifications.${i}`] ??= `Row ${i + 1}: fill in both the name and the value (or clear both to remove the row).`;
    else if (s.name.length > 60 || s.value.length > 300) fields[`specifications.${i}`] ??= `Row ${i + 1}: names up to 60 characters, values up to 300.`;
  });
  Object.assign(fields, taxCategoryProblems(p.taxCategory));
  const seen = new Set<string>();
  specs.forEach((s, i) => {
    const key = s.name.toLowerCase();
    if (key && seen.has(key)) fields[`specifications.${i}`] ??= `Row ${i + 1}: “${s.name}” is already listed above.`;
    seen.add(key);
  });
  return fields;
}

/** What is wrong with a product's web address, if anything. */
export const slugProblem = (slug: string) =>
  !SLUG.test(slug) || slug.length > 80 ? 'Use lower-case letters, digits and single dashes (at most 80), e.g. linen-table-lamp.' : undefined;

/** Trimmed rows, blank ones dropped (clearing a row is how people remove it). */
const cleanSpecifications = (specs: Specification[]) => specs.map((s) => ({ name: s.name.trim(), value: s.value.trim() })).filter((s) => s.name || s.value);

async function productValues(tx: Tx, p: ProductInput, selfId: string | undefined) {
  const [category] = await tx.select({ id: categories.id }).from(categories).where(eq(categories.slug, p.categorySlug.trim()));
  if (!category) throw validationFailed({ category: 'Choose a category from the list.' });
  const slug = p.slug.trim() || slugify(p.name.trim());
  const [taken] = await tx.select({ id: products.id, name: products.name }).from(products).where(eq(products.slug, slug));
  if (taken && taken.id !== selfId) throw validationFailed({ slug: `“${taken.name}” already uses the address /products/${slug}: choose another.` });
  return {
    name: p.name.trim(),
    slug,
    categoryId: category.id,
    description: p.description.trim(),
    featured: p.featured,
    active: p.active,
    specifications: cleanSpecifications(p.specifications),
    ...(p.taxCategory !== undefined ? { taxCategory: p.taxCategory } : {}),
  };
}

// ---------------------------------------------------------------- variants

export async function addVariant(ctx: AppContext, productId: string, input: VariantInput & { openingStock?: number; staffId?: string }): Promise<{ id: string; sku: string }> {
  const fields = variantProblems(input);
  if (input.openingStock !== undefined && (!Number.isInteger(input.openingStock) || input.openingStock < 0 || input.openingStock > MAX_STOCK)) {
    fields.openingStock = `Enter a whole number from 0 to ${MAX_STOCK.toLocaleString('en-US')}.`;
  }
  if (Object.keys(fields).length) throw validationFailed(fields);
  return uniqueOrRefused(() =>
    inProduct(ctx, productId, async (tx) => {
      await refuseTakenSku(tx, input.sku, undefined);
      const [last] = await tx.select({ position: max(variants.position) }).from(variants).where(eq(variants.productId, productId));
      const [created] = await tx
        .insert(variants)
        .values({ ...variantValues(input), productId, position: (last?.position ?? -1) + 1 })
        .returning({ id: variants.id, sku: variants.sku });
      if (input.openingStock) {
        await adjustStock(tx, { variantId: created!.id, delta: input.openingStock, reason: 'restock', staffId: input.staffId, note: 'Opening stock' });
      }
      return created!;
    }),
  );
}

/** Changes a variant's SKU, options and prices. Orders keep their own copy of what was bought. */
export async function updateVariant(ctx: AppContext, variantId: string, input: VariantInput): Promise<{ id: string; sku: string }> {
  const fields = variantProblems(input);
  if (Object.keys(fields).length) throw validationFailed(fields);
  const productId = await productOfVariant(ctx.db, variantId);
  return uniqueOrRefused(() =>
    inProduct(ctx, productId, async (tx) => {
      await refuseTakenSku(tx, input.sku, variantId);
      const [updated] = await tx.update(variants).set(variantValues(input)).where(eq(variants.id, variantId)).returning({ id: variants.id, sku: variants.sku });
      if (!updated) throw notFound('Variant');
      return updated;
    }),
  );
}

/**
 * Removes a variant that was never ordered. One that was stays (its stock ledger and the
 * link from old orders matter): hide the product or set its stock to 0 instead.
 */
export async function removeVariant(ctx: AppContext, variantId: string): Promise<void> {
  const productId = await productOfVariant(ctx.db, variantId);
  await inProduct(ctx, productId, async (tx) => {
    const [{ n }] = (await tx.select({ n: count() }).from(variants).where(eq(variants.productId, productId))) as [{ n: number }];
    if (Number(n) <= 1) throw new DomainError('conflict', 'A product needs at least one variant: add another first, or hide the product.');
    const [sold] = await tx.select({ id: orderItems.id }).from(orderItems).where(eq(orderItems.variantId, variantId)).limit(1);
    if (sold) throw new DomainError('conflict', 'This variant has been ordered, so it stays for those orders: set its stock to 0 to stop selling it.');
    await tx.delete(variants).where(eq(variants.id, variantId));
  });
}

/** Problems with a variant’s fields, by field name (SKU uniqueness is checked in the database). */
export function variantProblems(v: VariantInput): FieldErrors {
  const fields: FieldErrors = {};
  const sku = normalizeSku(v.sku);
  if (!sku) fields.sku = 'Enter a SKU.';
  else if (!SKU.test(sku)) fields.sku = 'Use letters, digits, dots, dashes or underscores (at most 40), starting with a letter or digit, e.g. LMP-LIN-NAT.';
  const names = Object.keys(v.options);
  if (names.length > 5) fields.options = 'Use at most 5 options.';
  for (const [name, value] of Object.entries(v.options)) {
    if (!name.trim() || !value.trim()) fields.options ??= 'Write each option as name=value, e.g. colour=Oat.';
    else if (name.length > 30 || value.length > 60) fields.options ??= 'Option names up to 30 characters, values up to 60.';
  }
  if (!Number.isInteger(v.price) || v.price < 0 || v.price > MAX_PRICE) fields.price = 'Enter a price from $0 to $1,000,000.';
  if (v.compareAtPrice !== null) {
    if (!Number.isInteger(v.compareAtPrice) || v.compareAtPrice < 0 || v.compareAtPrice > MAX_PRICE) fields.compareAtPrice = 'Enter a price from $0 to $1,000,000, or leave it empty.';
    else if (!fields.price && v.compareAtPrice <= v.price) fields.compareAtPrice = 'The compare-at price is the old price shown struck through: make it higher than the price, or leave it empty.';
  }
  return { ...fields, ...parcelProblems(v) };
}

/** SKUs are compared and stored in capitals, as the warehouse writes them on labels. */
const normalizeSku = (sku: string) => sku.trim().toUpperCase();

const variantValues = (v: VariantInput) => ({
  sku: normalizeSku(v.sku),
  options: Object.fromEntries(Object.entries(v.options).map(([k, val]) => [k.trim(), val.trim()])),
  price: v.price,
  compareAtPrice: v.compareAtPrice,
  ...parcelValues(v),
});

async function refuseTakenSku(tx: Tx, sku: string, selfId: string | undefined) {
  const [taken] = await tx
    .select({ id: variants.id, productName: products.name })
    .from(variants)
    .innerJoin(products, eq(products.id, variants.productId))
    .where(eq(variants.sku, normalizeSku(sku)));
  if (taken && taken.id !== selfId) throw validationFailed({ sku: `SKU ${normalizeSku(sku)} is already used by “${taken.productName}”: SKUs must be unique.` });
}

async function productOfVariant(conn: Conn, variantId: string): Promise<string> {
  const [v] = isUuid(variantId) ? await conn.select({ productId: variants.productId }).from(variants).where(eq(variants.id, variantId)) : [];
  if (!v) throw notFound('Variant');
  return v.productId;
}

// ---------------------------------------------------------------- images

/**
 * Checks and stores an uploaded picture (every size, in the shared blob store, so every
 * instance serves it) and adds it last in the product's gallery. Alt text is required:
 * it is what a screen reader says, and what shows if the picture fails to load.
 */
export async function addImage(ctx: AppContext, productId: string, input: { bytes: Buffer | undefined; alt: string }): Promise<AdminImage> {
  const fields: FieldErrors = {};
  const alt = input.alt.trim();
  if (!alt) fields.alt = 'Describe the picture for people who cannot see it, e.g. “Oak lamp with a linen shade, lit”.';
  else if (alt.length > 200) fields.alt = 'Use at most 200 characters.';
  if (!input.bytes?.length) fields.image = 'Choose a picture to upload.';
  if (Object.keys(fields).length) throw validationFailed(fields);
  return inProduct(ctx, productId, async (tx) => {
    const stored = await storeImage(tx, ctx.blobs, input.bytes!);
    const [last] = await tx.select({ position: max(productImages.position) }).from(productImages).where(eq(productImages.productId, productId));
    const [row] = await tx
      .insert(productImages)
      .values({ productId, imageKey: stored.imageKey, alt, width: stored.width, height: stored.height, position: (last?.position ?? -1) + 1 })
      .returning();
    return { id: row!.id, alt, width: row!.width, height: row!.height, position: row!.position, url: imageUrl(row!.imageKey, 'large'), thumbUrl: imageUrl(row!.imageKey, 'thumb') };
  });
}

export async function updateImageAlt(ctx: AppContext, imageId: string, alt: string): Promise<void> {
  const text = alt.trim();
  if (!text) throw validationFailed({ alt: 'Describe the picture for people who cannot see it.' });
  if (text.length > 200) throw validationFailed({ alt: 'Use at most 200 characters.' });
  const productId = await productOfImage(ctx.db, imageId);
  await inProduct(ctx, productId, (tx) => tx.update(productImages).set({ alt: text }).where(eq(productImages.id, imageId)));
}

/** Moves a picture one place earlier or later; the first picture is the one lists show. */
export async function moveImage(ctx: AppContext, imageId: string, direction: 'up' | 'down'): Promise<void> {
  const productId = await productOfImage(ctx.db, imageId);
  await inProduct(ctx, productId, async (tx) => {
    const list = await tx
      .select({ id: productImages.id })
      .from(productImages)
      .where(eq(productImages.productId, productId))
      .orderBy(asc(productImages.position), asc(productImages.id));
    const from = list.findIndex((i) => i.id === imageId);
    const to = direction === 'up' ? from - 1 : from + 1;
    if (from < 0 || to < 0 || to >= list.length) return;
    [list[from], list[to]] = [list[to]!, list[from]!];
    // Renumber all: positions may have gaps or ties from earlier deletions.
    for (const [position, img] of list.entries()) await tx.update(productImages).set({ position }).where(eq(productImages.id, img.id));
  });
}

/** Deletes a picture and its stored sizes. */
export async function deleteImage(ctx: AppContext, imageId: string): Promise<void> {
  const productId = await productOfImage(ctx.db, imageId);
  await inProduct(ctx, productId, async (tx) => {
    const [gone] = await tx.delete(productImages).where(eq(productImages.id, imageId)).returning({ imageKey: productImages.imageKey });
    if (!gone) throw notFound('Image');
    await ctx.blobs.delete(
      tx,
      (Object.keys(IMAGE_SIZES) as (keyof typeof IMAGE_SIZES)[]).map((size) => imageBlobKey(gone.imageKey, size)),
    );
  });
}

async function productOfImage(conn: Conn, imageId: string): Promise<string> {
  const [img] = isUuid(imageId) ? await conn.select({ productId: productImages.productId }).from(productImages).where(eq(productImages.id, imageId)) : [];
  if (!img) throw notFound('Image');
  return img.productId;
}

// ---------------------------------------------------------------- shared

/**
 * Runs a change to one product: locks its row (concurrent edits of one product take turns),
 * marks it updated, and announces the catalog change — all in one transaction.
 */
async function inProduct<T>(ctx: AppContext, productId: string, change: (tx: Tx) => Promise<T>): Promise<T> {
  if (!isUuid(productId)) throw notFound('Product');
  return ctx.db.transaction(async (tx) => {
    const [locked] = await tx.select({ id: products.id }).from(products).where(eq(products.id, productId)).for('update');
    if (!locked) throw notFound('Product');
    const result = await change(tx);
    await tx.update(products).set({ updatedAt: ctx.clock.now() }).where(eq(products.id, productId));
    await announceChange(tx, 'catalog');
    return result;
  });
}

/** Two people saving the same new slug or SKU at once: the database refuses the second; say so by field. */
async function uniqueOrRefused<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const unique = uniqueViolation(err);
    if (!unique) throw err;
    throw unique.constraint?.includes('sku')
      ? validationFailed({ sku: 'This SKU was just taken by another variant: SKUs must be unique.' })
      : validationFailed({ slug: 'This address was just taken by another product: choose another.' });
  }
}

