// Seeds the demo catalog. On the embedded database this runs by itself on first start;
// on PostgreSQL it is explicit (`npm run seed`). Idempotent: a seeded store is left alone.
import { sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { categories, productImages, products, storeSettings, variants } from '../schema.ts';
import { storeImage } from '../../domain/storage/images.ts';
import { defaultSettings } from '../../domain/settings/store-settings.ts';
import { gramsOf } from '../../domain/checkout/shipping-rates.ts';
import { announceChange } from '../../domain/shared/change-bus.ts';
import { productArt } from './placeholder-art.ts';
import { seedCategories, seedProducts } from './catalog-data.ts';

/** A demo variant's shipping weight when its specifications give none, by category. */
const TYPICAL_GRAMS: Record<string, number> = { lighting: 2200, textiles: 900, kitchen: 1100, decor: 800, storage: 1300 };

const BACKDROPS = ['#f3efe8', '#eef1ee', '#f4eee9', '#eceff3', '#f2f0ea'];
const VIEW_ALT = ['', ', close-up of the finish', ', styled on a shelf'];

export async function seedIfEmpty(ctx: AppContext): Promise<boolean> {
  const [row] = await ctx.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(products);
  if (row!.n > 0) return false;
  await seedCatalog(ctx);
  return true;
}

export async function seedCatalog(ctx: AppContext): Promise<void> {
  const started = performance.now();
  const pictures = seedProducts.map((p, i) => ([0, 1, 2] as const).map((view) => Buffer.from(productArt(p.art, p.colour, BACKDROPS[i % BACKDROPS.length]!, view))));
  // One transaction: a crash leaves either nothing or the whole catalog.
  await ctx.db.transaction(async (tx) => {
    await tx.insert(storeSettings).values({ id: 1, data: defaultSettings() }).onConflictDoNothing();
    const cats = await tx
      .insert(categories)
      .values(seedCategories.map((c, position) => ({ ...c, position })))
      .onConflictDoNothing()
      .returning();
    const catId = new Map(cats.map((c) => [c.slug, c.id]));
    const now = Date.now();
    for (const [i, p] of seedProducts.entries()) {
      const [prod] = await tx
        .insert(products)
        .values({
          slug: p.slug,
          name: p.name,
          description: p.description,
          categoryId: catId.get(p.category)!,
          featured: p.featured ?? false,
          specifications: p.specs.map(([name, value]) => ({ name, value })),
          // Spread creation times so "newest" has a meaningful order.
          createdAt: new Date(now - (seedProducts.length - i) * 86_400_000),
        })
        .returning();
      const listed = p.specs.find(([name]) => name === 'Weight')?.[1];
      const weightGrams = (listed && gramsOf(listed)) || TYPICAL_GRAMS[p.category] || 1000;
      await tx.insert(variants).values(
        p.variants.map((v, position) => ({
          productId: prod!.id,
          sku: v.sku,
          options: v.options ?? {},
          price: v.price,
          compareAtPrice: v.compareAt ?? null,
          stock: v.stock,
          weightGrams,
          position,
        })),
      );
      for (const [view, svg] of pictures[i]!.entries()) {
        const img = await storeImage(tx, ctx.blobs, svg, { allowSvg: true });
        await tx.insert(productImages).values({ productId: prod!.id, imageKey: img.imageKey, alt: `${p.name}${VIEW_ALT[view]}`, width: img.width, height: img.height, position: view });
      }
    }
    await announceChange(tx, 'catalog');
  });
  ctx.log.info({ products: seedProducts.length, ms: Math.round(performance.now() - started) }, 'seeded the demo catalog');
}
