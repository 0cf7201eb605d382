// Catalog queries: typed reads for the storefront and the API. No rules live here.
import { and, asc, desc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Conn } from '../../db/client.ts';
import { categories, productImages, products, variants, type Specification } from '../../db/schema.ts';
import { imageBlobKey, type ImageSize } from '../storage/images.ts';
import type { Money } from '../shared/money.ts';

export type Category = { slug: string; name: string; description: string };

export type ImageView = { url: string; thumbUrl: string; alt: string; width: number; height: number };

export type ProductSummary = {
  slug: string;
  name: string;
  category: { slug: string; name: string };
  price: Money;
  compareAtPrice?: Money;
  /** True when the cheapest variant's price differs from the dearest: "from $X". */
  priceVaries: boolean;
  image: ImageView | null;
  inStock: boolean;
};

export type VariantView = {
  id: string;
  sku: string;
  options: Record<string, string>;
  price: Money;
  compareAtPrice?: Money;
  stock: number;
  /** One unit's shipping weight and size, when recorded (the API and the shopping feed show them). */
  weightGrams: number | null;
  dimensionsMm: { length: number; width: number; height: number } | null;
};

export type ProductDetail = {
  id: string;
  slug: string;
  name: string;
  description: string;
  category: { slug: string; name: string };
  images: ImageView[];
  specifications: Specification[];
  variants: VariantView[];
  updatedAt: Date;
};

export const SORTS = ['featured', 'newest', 'price_asc', 'price_desc', 'name'] as const;
export type Sort = (typeof SORTS)[number];

export type ListQuery = { q?: string; category?: string; sort?: Sort; page: number; limit: number };

export const imageUrl = (imageKey: string, size: ImageSize) => `/images/${imageBlobKey(imageKey, size)}`;

const imageView = (i: { imageKey: string; alt: string; width: number; height: number }): ImageView => ({
  url: imageUrl(i.imageKey, 'large'),
  thumbUrl: imageUrl(i.imageKey, 'thumb'),
  alt: i.alt,
  width: i.width,
  height: i.height,
});

export async function listCategories(conn: Conn): Promise<Category[]> {
  return conn
    .select({ slug: categories.slug, name: categories.name, description: categories.description })
    .from(categories)
    .orderBy(asc(categories.position), asc(categories.name));
}

/** Escapes LIKE wildcards so a search for "50%" means the text "50%". */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function listProducts(conn: Conn, query: ListQuery): Promise<{ items: ProductSummary[]; total: number }> {
  const minPrice = sql<number>`min(${variants.price})`.mapWith(Number);
  const maxPrice = sql<number>`max(${variants.price})`.mapWith(Number);
  const conditions: SQL[] = [eq(products.active, true)];
  if (query.category) conditions.push(eq(categories.slug, query.category));
  const q = query.q?.trim();
  if (q) {
    const p = likePattern(q);
    conditions.push(or(ilike(products.name, p), ilike(products.description, p), ilike(categories.name, p))!);
  }
  const where = and(...conditions);
  const order = {
    featured: [desc(products.featured), asc(products.name)],
    newest: [desc(products.createdAt), asc(products.name)],
    price_asc: [asc(minPrice), asc(products.name)],
    price_desc: [desc(minPrice), asc(products.name)],
    name: [asc(products.name)],
  }[query.sort ?? 'featured'];

  const rows = await conn
    .select({
      id: products.id,
      slug: products.slug,
      name: products.name,
      categorySlug: categories.slug,
      categoryName: categories.name,
      minPrice,
      maxPrice,
      compareAt: sql<number | null>`max(${variants.compareAtPrice})`,
      currency: sql<string>`min(${variants.currency})`,
      stock: sql<number>`coalesce(sum(${variants.stock}), 0)`.mapWith(Number),
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(products)
    .innerJoin(categories, eq(categories.id, products.categoryId))
    .innerJoin(variants, eq(variants.productId, products.id))
    .where(where)
    .groupBy(products.id, categories.id)
    .orderBy(...order)
    .limit(query.limit)
    .offset((query.page - 1) * query.limit);

  const firstImages = rows.length
    ? await conn
        .selectDistinctOn([productImages.productId])
        .from(productImages)
        .where(inArray(productImages.productId, rows.map((r) => r.id)))
        .orderBy(productImages.productId, asc(productImages.position))
    : [];
  const imageByProduct = new Map(firstImages.map((i) => [i.productId, imageView(i)]));

  const total = rows[0]?.total ?? (query.page > 1 ? await countProducts(conn, where) : 0);
  return {
    total,
    items: rows.map((r) => ({
      slug: r.slug,
      name: r.name,
      category: { slug: r.categorySlug, name: r.categoryName },
      price: { amount: r.minPrice, currency: r.currency },
      compareAtPrice: r.compareAt && r.compareAt > r.minPrice && r.minPrice === r.maxPrice ? { amount: Number(r.compareAt), currency: r.currency } : undefined,
      priceVaries: r.minPrice !== r.maxPrice,
      image: imageByProduct.get(r.id) ?? null,
      inStock: r.stock > 0,
    })),
  };
}

/** Total for a page past the end (where the window count has no row to ride on). */
async function countProducts(conn: Conn, where: SQL | undefined): Promise<number> {
  const [row] = await conn
    .select({ n: sql<number>`count(distinct ${products.id})`.mapWith(Number) })
    .from(products)
    .innerJoin(categories, eq(categories.id, products.categoryId))
    .where(where);
  return row?.n ?? 0;
}

export async function getProduct(conn: Conn, slug: string): Promise<ProductDetail | undefined> {
  const [p] = await conn
    .select({ product: products, categorySlug: categories.slug, categoryName: categories.name })
    .from(products)
    .innerJoin(categories, eq(categories.id, products.categoryId))
    .where(and(eq(products.slug, slug), eq(products.active, true)));
  if (!p) return undefined;
  const [imgs, vars] = await Promise.all([
    conn.select().from(productImages).where(eq(productImages.productId, p.product.id)).orderBy(asc(productImages.position)),
    conn.select().from(variants).where(eq(variants.productId, p.product.id)).orderBy(asc(variants.position), asc(variants.sku)),
  ]);
  return {
    id: p.product.id,
    slug: p.product.slug,
    name: p.product.name,
    description: p.product.description,
    category: { slug: p.categorySlug, name: p.categoryName },
    images: imgs.map(imageView),
    specifications: p.product.specifications,
    updatedAt: p.product.updatedAt,
    variants: vars.map((v) => ({
      id: v.id,
      sku: v.sku,
      options: v.options,
      price: { amount: v.price, currency: v.currency },
      compareAtPrice: v.compareAtPrice != null && v.compareAtPrice > v.price ? { amount: v.compareAtPrice, currency: v.currency } : undefined,
      stock: v.stock,
      weightGrams: v.weightGrams,
      dimensionsMm: v.lengthMm && v.widthMm && v.heightMm ? { length: v.lengthMm, width: v.widthMm, height: v.heightMm } : null,
    })),
  };
}
