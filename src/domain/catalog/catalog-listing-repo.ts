// The whole visible catalog in one read, for the sitemap and the shopping-engine feed.
// Hidden products never appear: both are public lists that search engines keep.
import { asc, eq } from 'drizzle-orm';
import type { Conn } from '../../db/client.ts';
import { categories, productImages, products, variants, type Specification } from '../../db/schema.ts';
import { imageUrl } from './catalog-repo.ts';

export type VisibleProduct = { slug: string; categorySlug: string; updatedAt: Date };

/** Every visible product's address and when it last changed, for the sitemap. */
export async function listVisibleProducts(conn: Conn): Promise<VisibleProduct[]> {
  return conn
    .select({ slug: products.slug, categorySlug: categories.slug, updatedAt: products.updatedAt })
    .from(products)
    .innerJoin(categories, eq(categories.id, products.categoryId))
    .where(eq(products.active, true))
    .orderBy(asc(products.slug));
}

export type FeedVariant = {
  sku: string;
  options: Record<string, string>;
  /** Cents. */
  price: number;
  compareAtPrice: number | null;
  currency: string;
  stock: number;
  weightGrams: number | null;
};

export type FeedProduct = {
  slug: string;
  name: string;
  description: string;
  categoryName: string;
  specifications: Specification[];
  /** Large picture paths, first one first. */
  imageUrls: string[];
  variants: FeedVariant[];
};

/** Every visible product with its variants and pictures, for the product feed (three queries, whatever the catalog's size). */
export async function listFeedProducts(conn: Conn): Promise<FeedProduct[]> {
  const rows = await conn
    .select({ id: products.id, slug: products.slug, name: products.name, description: products.description, categoryName: categories.name, specifications: products.specifications })
    .from(products)
    .innerJoin(categories, eq(categories.id, products.categoryId))
    .where(eq(products.active, true))
    .orderBy(asc(products.slug));
  if (!rows.length) return [];
  // Joined rather than listed by id: no limit on the number of products.
  const visible = eq(products.active, true);
  const [vars, imgs] = await Promise.all([
    conn.select({ v: variants }).from(variants).innerJoin(products, eq(products.id, variants.productId)).where(visible).orderBy(asc(variants.position), asc(variants.sku)),
    conn.select({ i: productImages }).from(productImages).innerJoin(products, eq(products.id, productImages.productId)).where(visible).orderBy(asc(productImages.position), asc(productImages.id)),
  ]);
  const group = <T extends { productId: string }>(list: T[]) => {
    const by = new Map<string, T[]>();
    for (const x of list) by.set(x.productId, [...(by.get(x.productId) ?? []), x]);
    return by;
  };
  const varsBy = group(vars.map((r) => r.v));
  const imgsBy = group(imgs.map((r) => r.i));
  return rows.map(({ id, ...p }) => ({
    ...p,
    imageUrls: (imgsBy.get(id) ?? []).map((i) => imageUrl(i.imageKey, 'large')),
    variants: (varsBy.get(id) ?? []).map((v) => ({
      sku: v.sku,
      options: v.options,
      price: v.price,
      compareAtPrice: v.compareAtPrice,
      currency: v.currency,
      stock: v.stock,
      weightGrams: v.weightGrams,
    })),
  }));
}
