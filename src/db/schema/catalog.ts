// Catalog: categories, products with their images and variants, and the stock ledger.
import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, ts } from './columns.ts';

export const categories = pgTable('categories', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  position: integer('position').notNull().default(0),
});

export type Specification = { name: string; value: string };

export const products = pgTable(
  'products',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    categoryId: uuid('category_id')
      .notNull()
      .references(() => categories.id),
    /** Ordered name → value pairs shown as the specifications table. */
    specifications: jsonb('specifications').$type<Specification[]>().notNull().default([]),
    /** Sales-tax category: states exempt some (clothing, groceries); see the tax table in settings. */
    taxCategory: text('tax_category').notNull().default('general'),
    featured: boolean('featured').notNull().default(false),
    /** Hidden products stay for old orders but leave the storefront. */
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('products_category_idx').on(t.categoryId)],
);

export const productImages = pgTable(
  'product_images',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    /** Blob key prefix; sizes are stored as `${imageKey}/${size}`. */
    imageKey: text('image_key').notNull(),
    alt: text('alt').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    position: integer('position').notNull().default(0),
  },
  (t) => [index('product_images_product_idx').on(t.productId, t.position)],
);

export const variants = pgTable(
  'variants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    sku: text('sku').notNull().unique(),
    /** Option values such as { size: "M", colour: "Sage" }. */
    options: jsonb('options').$type<Record<string, string>>().notNull().default({}),
    price: integer('price').notNull(),
    compareAtPrice: integer('compare_at_price'),
    currency: text('currency').notNull().default('USD'),
    stock: integer('stock').notNull().default(0),
    position: integer('position').notNull().default(0),
    /** The packed weight of one unit, in grams; drives shipping rates and labels. Null until staff enter it. */
    weightGrams: integer('weight_grams'),
    /** The packed size of one unit in millimetres (null when unknown: the package preset is used). */
    lengthMm: integer('length_mm'),
    widthMm: integer('width_mm'),
    heightMm: integer('height_mm'),
  },
  (t) => [
    index('variants_product_idx').on(t.productId, t.position),
    check('variants_stock_non_negative', sql`${t.stock} >= 0`),
    check('variants_price_non_negative', sql`${t.price} >= 0`),
    check('variants_weight_positive', sql`${t.weightGrams} is null or ${t.weightGrams} > 0`),
  ],
);

/** Every stock change with who made it and why: the stock ledger. */
export const stockLedger = pgTable(
  'stock_ledger',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    variantId: uuid('variant_id')
      .notNull()
      .references(() => variants.id, { onDelete: 'cascade' }),
    delta: integer('delta').notNull(),
    stockAfter: integer('stock_after').notNull(),
    /** sale, cancel, modify, adjustment, set, restock, write_off, exchange */
    reason: text('reason').notNull(),
    note: text('note'),
    staffId: uuid('staff_id'),
    orderId: uuid('order_id'),
    createdAt: createdAt(),
  },
  (t) => [index('stock_ledger_variant_idx').on(t.variantId, t.createdAt)],
);

/**
 * Old product addresses: a slug a product used before it was renamed, pointing at the product
 * (not at the next slug), so /products/<old> answers 301 to the current address in one hop
 * however many times it was renamed. A product that takes an old slug removes its row.
 */
export const productSlugRedirects = pgTable(
  'product_slug_redirects',
  {
    slug: text('slug').primaryKey(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [index('product_slug_redirects_product_idx').on(t.productId)],
);
