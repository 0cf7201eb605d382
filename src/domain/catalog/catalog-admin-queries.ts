// Reading the catalog for the back office: the product list with its search, and one product
// with all its variants (and whether each was ever ordered) and images, hidden ones included.
import { asc, count, eq, ilike, or, sql } from 'drizzle-orm';
import type { Conn } from '../../db/client.ts';
import { categories, orderItems, productImages, products, variants } from '../../db/schema.ts';
import { notFound } from '../shared/errors.ts';
import { imageUrl } from './catalog-repo.ts';

export type AdminProductRow = {
  id: string;
  slug: string;
  name: string;
  categoryName: string;
  active: boolean;
  featured: boolean;
  variantCount: number;
  stock: number;
  minPrice: number | null;
  maxPrice: number | null;
  thumbUrl: string | null;
  updatedAt: Date;
};

export type AdminVariant = typeof variants.$inferSelect & { sold: boolean };
export type AdminImage = { id: string; alt: string; width: number; height: number; position: number; url: string; thumbUrl: string };

export type AdminProduct = Omit<typeof products.$inferSelect, 'categoryId'> & {
  categorySlug: string;
  categoryName: string;
  variants: AdminVariant[];
  images: AdminImage[];
};

export const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

/** Every product, hidden ones included, with a search over name, slug, SKU and category. */
export async function listAdminProducts(conn: Conn, query: { q?: string; page: number; limit: number }): Promise<{ items: AdminProductRow[]; total: number }> {
  const q = query.q?.trim();
  const like = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  const where = like
    ? or(
        ilike(products.name, like),
        ilike(products.slug, like),
        ilike(categories.name, like),
        sql`exists (select 1 from ${variants} where ${variants.productId} = ${products.id} and ${variants.sku} ilike ${like})`,
      )
    : undefined;
  const list = await conn
    .select({
      id: products.id,
      slug: products.slug,
      name: products.name,
      categoryName: categories.name,
      active: products.active,
      featured: products.featured,
      updatedAt: products.updatedAt,
      variantCount: sql<number>`(select count(*)::int from ${variants} where ${variants.productId} = ${products.id})`,
      stock: sql<number>`(select coalesce(sum(${variants.stock}), 0)::int from ${variants} where ${variants.productId} = ${products.id})`,
      minPrice: sql<number | null>`(select min(${variants.price}) from ${variants} where ${variants.productId} = ${products.id})`,
      maxPrice: sql<number | null>`(select max(${variants.price}) from ${variants} where ${variants.productId} = ${products.id})`,
      imageKey: sql<string | null>`(select ${productImages.imageKey} from ${productImages} where ${productImages.productId} = ${products.id} order by ${productImages.position} limit 1)`,
    })
    .from(products)
    .innerJoin(categories, eq(categories.id, products.categoryId))
    .where(where)
    .orderBy(asc(products.name), asc(products.slug))
    .limit(query.limit)
    .offset((query.page - 1) * query.limit);
  const [total] = await conn.select({ n: count() }).from(products).innerJoin(categories, eq(categories.id, products.categoryId)).where(where);
  return {
    total: Number(total?.n ?? 0),
    items: list.map(({ imageKey, ...p }) => ({
      ...p,
      variantCount: Number(p.variantCount),
      stock: Number(p.stock),
      minPrice: p.minPrice === null ? null : Number(p.minPrice),
      maxPrice: p.maxPrice === null ? null : Number(p.maxPrice),
      thumbUrl: imageKey ? imageUrl(imageKey, 'thumb') : null,
    })),
  };
}

/** One product with all its variants (and whether each was ever ordered) and images. */
export async function getAdminProduct(conn: Conn, id: string): Promise<AdminProduct> {
  if (!isUuid(id)) throw notFound('Product');
  const [row] = await conn
    .select({ product: products, categorySlug: categories.slug, categoryName: categories.name })
    .from(products)
    .innerJoin(categories, eq(categories.id, products.categoryId))
    .where(eq(products.id, id));
  if (!row) throw notFound('Product');
  const vars = await conn
    .select({ variant: variants, sold: sql<boolean>`exists (select 1 from ${orderItems} where ${orderItems.variantId} = ${variants.id})` })
    .from(variants)
    .where(eq(variants.productId, id))
    .orderBy(asc(variants.position), asc(variants.sku));
  const imgs = await conn.select().from(productImages).where(eq(productImages.productId, id)).orderBy(asc(productImages.position), asc(productImages.id));
  const { categoryId: _, ...product } = row.product;
  return {
    ...product,
    categorySlug: row.categorySlug,
    categoryName: row.categoryName,
    variants: vars.map((v) => ({ ...v.variant, sold: Boolean(v.sold) })),
    images: imgs.map((i) => ({
      id: i.id,
      alt: i.alt,
      width: i.width,
      height: i.height,
      position: i.position,
      url: imageUrl(i.imageKey, 'large'),
      thumbUrl: imageUrl(i.imageKey, 'thumb'),
    })),
  };
}
