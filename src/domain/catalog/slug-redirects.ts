// Old product addresses keep working: when a product's slug changes (back office or import),
// the old slug is kept pointing at the product, and the storefront answers 301 to the current
// address. Rows point at the product, so a chain of renames a→b→c resolves in one hop.
import { and, eq } from 'drizzle-orm';
import type { Conn, Tx } from '../../db/client.ts';
import { productSlugRedirects, products } from '../../db/schema.ts';

/**
 * Records a rename inside the renaming transaction: the old slug now redirects to the product,
 * and the new slug stops redirecting anywhere (the product owns it again, or took another's).
 */
export async function recordSlugChange(tx: Tx, productId: string, oldSlug: string, newSlug: string): Promise<void> {
  if (oldSlug === newSlug) return;
  await claimSlug(tx, newSlug);
  await tx
    .insert(productSlugRedirects)
    .values({ slug: oldSlug, productId })
    .onConflictDoUpdate({ target: productSlugRedirects.slug, set: { productId } });
}

/** A product that takes a slug (new, or renamed to it) wins over a redirect of that slug. */
export async function claimSlug(tx: Tx, slug: string): Promise<void> {
  await tx.delete(productSlugRedirects).where(eq(productSlugRedirects.slug, slug));
}

/** The current slug of the visible product that once used `slug`, if any. */
export async function currentSlugFor(conn: Conn, slug: string): Promise<string | undefined> {
  const [row] = await conn
    .select({ slug: products.slug })
    .from(productSlugRedirects)
    .innerJoin(products, eq(products.id, productSlugRedirects.productId))
    .where(and(eq(productSlugRedirects.slug, slug), eq(products.active, true)));
  return row?.slug;
}
