// Small, fast catalog fixtures for scenario tests (the full demo seed draws pictures and is slower).
import sharp from 'sharp';
import type { AppContext } from '../../src/context.ts';
import { categories, productImages, products, variants } from '../../src/db/schema.ts';
import { storeImage } from '../../src/domain/storage/images.ts';
import { announceChange } from '../../src/domain/shared/change-bus.ts';

export type FixtureVariant = { sku: string; price: number; stock: number; options?: Record<string, string>; compareAt?: number };
export type FixtureProduct = { slug: string; name: string; category?: string; description?: string; variants: FixtureVariant[]; specs?: [string, string][]; image?: boolean };

let tinyPng: Promise<Buffer> | undefined;
const picture = () => (tinyPng ??= sharp({ create: { width: 64, height: 64, channels: 3, background: '#88aa99' } }).png().toBuffer());

/** Inserts products (and their category) and announces the catalog change. */
export async function addProducts(ctx: AppContext, list: FixtureProduct[]): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    for (const p of list) {
      const slug = p.category ?? 'general';
      await tx.insert(categories).values({ slug, name: slug[0]!.toUpperCase() + slug.slice(1) }).onConflictDoNothing();
      const cat = await tx.query.categories.findFirst({ where: (c, { eq }) => eq(c.slug, slug) });
      const [prod] = await tx
        .insert(products)
        .values({
          slug: p.slug,
          name: p.name,
          description: p.description ?? `${p.name}, made to last.`,
          categoryId: cat!.id,
          specifications: (p.specs ?? [['Material', 'Oak'], ['Weight', '1 lb'], ['Care', 'Wipe clean']]).map(([name, value]) => ({ name, value })),
        })
        .returning();
      await tx.insert(variants).values(
        p.variants.map((v, position) => ({ productId: prod!.id, sku: v.sku, price: v.price, stock: v.stock, options: v.options ?? {}, compareAtPrice: v.compareAt, position })),
      );
      if (p.image !== false) {
        const img = await storeImage(tx, ctx.blobs, await picture());
        await tx.insert(productImages).values({ productId: prod!.id, imageKey: img.imageKey, alt: p.name, width: img.width, height: img.height });
      }
    }
    await announceChange(tx, 'catalog');
  });
}

/** A standard little catalog: a lamp with two variants, a mug, and a sold-out vase. */
export const basicCatalog: FixtureProduct[] = [
  { slug: 'test-lamp', name: 'Test Lamp', category: 'lighting', variants: [{ sku: 'LAMP-1', price: 5000, stock: 10, options: { colour: 'Oat' } }, { sku: 'LAMP-2', price: 5500, stock: 2, options: { colour: 'Rust' } }] },
  { slug: 'test-mug', name: 'Test Mug', category: 'kitchen', variants: [{ sku: 'MUG-1', price: 1500, stock: 100 }] },
  { slug: 'test-vase', name: 'Test Vase', category: 'decor', variants: [{ sku: 'VASE-1', price: 3000, stock: 0 }] },
];
