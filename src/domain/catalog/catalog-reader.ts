// Cached catalog reads shared by pages and the API. The catalog changes rarely and is
// read constantly, so every instance keeps copies and drops them all when any
// instance announces a catalog change (stock included).
import type { AppContext } from '../../context.ts';
import { MemoCache } from '../shared/memo-cache.ts';
import { currentSlugFor } from './slug-redirects.ts';
import { getProduct, listCategories, listProducts, type Category, type ListQuery, type ProductDetail, type ProductSummary } from './catalog-repo.ts';

export type CatalogReader = ReturnType<typeof createCatalogReader>;

export function createCatalogReader(ctx: AppContext) {
  const products = new MemoCache<ProductDetail | null>(1000);
  const lists = new MemoCache<{ items: ProductSummary[]; total: number }>(500);
  const cats = new MemoCache<Category[]>(1);
  const renamed = new MemoCache<string | null>(1000);
  /** Derived caches (rendered pages) register here to be dropped together. */
  const dependents: (() => void)[] = [];
  ctx.onChange('catalog', () => {
    products.clear();
    lists.clear();
    cats.clear();
    renamed.clear();
    dependents.forEach((fn) => fn());
  });
  return {
    product: async (slug: string) => (await products.getOrCompute(slug, async () => (await getProduct(ctx.db, slug)) ?? null)) ?? undefined,
    list: (q: ListQuery) => lists.getOrCompute(JSON.stringify([q.q?.trim().toLowerCase(), q.category, q.sort, q.page, q.limit]), () => listProducts(ctx.db, q)),
    /** The current slug of a product once known as `slug` (for a 301), if any. */
    currentSlugFor: async (slug: string) => (await renamed.getOrCompute(slug, async () => (await currentSlugFor(ctx.db, slug)) ?? null)) ?? undefined,
    categories: () => cats.getOrCompute('all', () => listCategories(ctx.db)),
    /** Registers a cache that must be dropped whenever the catalog changes. */
    onInvalidate: (fn: () => void) => void dependents.push(fn),
  };
}
