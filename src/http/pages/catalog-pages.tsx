// Storefront catalog pages. The <main> of each page is rendered once and cached until the
// catalog or the settings change; requests are answered from bytes made once (cached-page.ts).
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { CatalogReader } from '../../domain/catalog/catalog-reader.ts';
import { SORTS } from '../../domain/catalog/catalog-repo.ts';
import { MemoCache } from '../../domain/shared/memo-cache.ts';
import { render } from './html.tsx';
import { CachedPage, sendCachedPage } from './cached-page.ts';
import { shopDescription } from './head.ts';
import { breadcrumbStructuredData, productStructuredData, storeStructuredData } from './structured-data.ts';
import { HomeView, listingHref, ListingView, NotFoundView, ProductView } from './views/catalog-views.tsx';

const PAGE_SIZE = 12;

const listingQuery = z.object({
  q: z.string().max(100).optional().catch(undefined),
  category: z.string().max(60).optional().catch(undefined),
  sort: z.enum(SORTS).catch('featured').default('featured'),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});

// These pages read no cookie but the cart count, which they take from the header by hand.
const hot = { config: { displayCookieOnly: true } };

export async function catalogPages(app: FastifyInstance, { ctx, catalog }: { ctx: AppContext; catalog: CatalogReader }) {
  const pages = new MemoCache<CachedPage>(2000);
  catalog.onInvalidate(() => pages.clear());
  ctx.onChange('settings', () => pages.clear());

  app.get('/', hot, async (req, reply) => {
    const r = await pages.getOrCompute('home', async () => {
      const [categories, featured, newest] = await Promise.all([
        catalog.categories(),
        catalog.list({ sort: 'featured', page: 1, limit: 8 }),
        catalog.list({ sort: 'newest', page: 1, limit: 4 }),
      ]);
      const settings = ctx.settings();
      return new CachedPage({
        title: '',
        description: shopDescription(settings),
        canonicalPath: '/',
        structuredData: [storeStructuredData(settings, ctx.config.publicUrl)],
        main: render(<HomeView storeName={settings.storeName} categories={categories} featured={featured.items} newest={newest.items} />),
      });
    });
    return sendCachedPage(ctx, req, reply, r);
  });

  app.get('/products', hot, async (req, reply) => {
    // Bad query values fall back to defaults: a shopper's typo should not be an error page.
    const query = listingQuery.parse(req.query ?? {});
    const state = { ...query, q: query.q?.trim() || undefined, category: query.category || undefined, limit: PAGE_SIZE };
    const key = JSON.stringify([state.q?.toLowerCase(), state.category, state.sort, state.page]);
    const r = await pages.getOrCompute(`list:${key}`, async () => {
      const [categories, { items, total }] = await Promise.all([catalog.categories(), catalog.list(state)]);
      const category = categories.find((c) => c.slug === state.category);
      const storeName = ctx.settings().storeName;
      return new CachedPage({
        title: state.q ? `Search: ${state.q}` : (category?.name ?? 'All products'),
        // Every listing has a description (search engines show it; Lighthouse's SEO audit asks for one).
        description:
          category?.description ??
          (state.q ? `Products matching “${state.q}” at ${storeName}.` : `All products at ${storeName}: ${categories.map((c) => c.name).join(', ')}.`),
        // Search results are endless near-duplicates: kept out of the index. Sorted views share their unsorted address.
        noindex: Boolean(state.q),
        canonicalPath: listingHref({ ...state, q: undefined, category: category?.slug, sort: 'featured' }, state.page),
        main: render(<ListingView state={state} categories={categories} items={items} total={total} />),
      });
    });
    return sendCachedPage(ctx, req, reply, r);
  });

  app.get<{ Params: { slug: string } }>('/products/:slug', hot, async (req, reply) => {
    const slug = req.params.slug.slice(0, 120);
    const r = await pages.getOrCompute(`product:${slug}`, async () => {
      const p = await catalog.product(slug);
      if (!p) return new CachedPage({ title: 'Product not found', main: render(<NotFoundView what="product" />) }, 404);
      const image = p.images[0];
      return new CachedPage({
        title: p.name,
        description: p.description.slice(0, 160),
        canonicalPath: `/products/${encodeURIComponent(p.slug)}`,
        social: { type: 'product', image: image && { url: image.url, width: image.width, height: image.height, alt: image.alt } },
        structuredData: [productStructuredData(p, ctx.settings(), ctx.config.publicUrl), breadcrumbStructuredData(p, ctx.config.publicUrl)],
        main: render(<ProductView p={p} lowStock={ctx.settings().lowStockThreshold} />),
      });
    });
    if (r.status === 404) {
      // A renamed product: its old address moves permanently, keeping the query (campaign tags).
      const current = await catalog.currentSlugFor(slug);
      if (current) return reply.redirect(`/products/${encodeURIComponent(current)}${queryOf(req.url)}`, 301);
    }
    return sendCachedPage(ctx, req, reply, r);
  });
}

const queryOf = (url: string) => {
  const i = url.indexOf('?');
  return i < 0 ? '' : url.slice(i);
};

export function notFoundPage(ctx: AppContext) {
  const main = render(<NotFoundView />);
  return { title: 'Page not found', main };
}
