// The shopping cart: server-side, known only by an unguessable id. Prices are never kept
// in the cart: every view reads them from the catalog, so a shopper always sees (and pays)
// the current price. Quantities are checked against stock and a per-line maximum on
// every change; checkout checks stock again, atomically, when the order is created.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { Conn, Tx } from '../../db/client.ts';
import { prepared } from '../../db/prepared.ts';
import { cartItems, carts, productImages, products, variants } from '../../db/schema.ts';
import { imageUrl } from '../catalog/catalog-repo.ts';
import { DomainError, notFound, validationFailed } from '../shared/errors.ts';
import { randomToken } from '../shared/ids.ts';
import type { StoreSettings } from '../settings/store-settings.ts';
import type { Totals, TotalsChoice } from '../checkout/totals.ts';
import { checkCode, chooseDiscount, type AppliedDiscount, type DiscountContext } from '../discounts/discount-service.ts';

export type { TotalsChoice };

/** Most units of one product variant per order: enough for any household, too few for resellers. */
export const MAX_PER_LINE = 20;

export type CartLine = {
  variantId: string;
  sku: string;
  productName: string;
  productSlug: string;
  options: Record<string, string>;
  image: { url: string; alt: string } | null;
  /** Current catalog price, cents. */
  unitPrice: number;
  currency: string;
  quantity: number;
  lineTotal: number;
  /** Units that can be bought right now (0 when the product left the catalog). */
  available: number;
  /** One unit's shipping weight (null when not recorded) and the product's sales-tax category. */
  weightGrams: number | null;
  taxCategory: string;
};

export type CartView = {
  id: string;
  lines: CartLine[];
  /** Units across all lines (the header's cart count). */
  itemCount: number;
  currency: string;
  totals: Totals;
  /** The state the totals were estimated for, when known. */
  state?: string;
  /** Set once the cart became an order; it is read-only from then on. */
  orderId: string | null;
  /** The code the shopper put on the cart (as staff wrote it), whether or not it applies now. */
  discountCode: string | null;
  /** The one discount in the totals: the cart's code, or an automatic promotion that saves more. */
  discount?: AppliedDiscount;
  /** Why the cart's code does not apply right now (the cart changed, it expired, it was used up). */
  discountProblem?: string;
};

export type CartItemInput = { sku: string; quantity: number };

/** What cart changes need: the database, the settings and the clock (discount dates). */
type CartCtx = Pick<AppContext, 'db' | 'settings' | 'clock'>;

/**
 * A new cart, optionally holding `items` already (one round trip for API clients that know
 * what they buy); the same SKU twice adds up. Each line passes the same checks as addItem.
 */
export async function createCart(ctx: Pick<AppContext, 'db'>, items: CartItemInput[] = []): Promise<string> {
  const id = randomToken();
  if (items.length === 0) {
    await ctx.db.insert(carts).values({ id });
    return id;
  }
  const wanted = new Map<string, number>();
  for (const item of items) {
    checkPositive(item.quantity);
    wanted.set(item.sku, (wanted.get(item.sku) ?? 0) + item.quantity);
  }
  await ctx.db.transaction(async (tx) => {
    const found = await findVariants(tx, [...wanted.keys()]);
    const lines = [...wanted].map(([sku, quantity], position) => {
      const variant = found.get(sku);
      if (!variant) throw new DomainError('not_found', `There is no product with SKU ${sku}.`);
      checkQuantity(variant, quantity, 0);
      // A microsecond apart, so the lines keep the order they were given in.
      return { cartId: id, variantId: variant.id, quantity, addedAt: sql`now() + ${position} * interval '1 microsecond'` };
    });
    await tx.insert(carts).values({ id });
    await tx.insert(cartItems).values(lines);
  });
  return id;
}

type Thumbnail = { key: string; alt: string };

/** The cart's lines as stored, with current prices and stock; the thumbnail (first picture) only when asked for. */
const linesQuery = (withImages: boolean) =>
  prepared(withImages ? 'cart_lines_with_images' : 'cart_lines', (conn) =>
    conn
      .select({
        variantId: variants.id,
        sku: variants.sku,
        productName: products.name,
        productSlug: products.slug,
        active: products.active,
        options: variants.options,
        unitPrice: variants.price,
        currency: variants.currency,
        stock: variants.stock,
        quantity: cartItems.quantity,
        weightGrams: variants.weightGrams,
        taxCategory: products.taxCategory,
        image: withImages
          ? sql<Thumbnail | null>`(select json_build_object('key', ${productImages.imageKey}, 'alt', ${productImages.alt}) from ${productImages} where ${productImages.productId} = ${products.id} order by ${productImages.position} limit 1)`
          : sql<Thumbnail | null>`null`,
      })
      .from(cartItems)
      .innerJoin(variants, eq(variants.id, cartItems.variantId))
      .innerJoin(products, eq(products.id, variants.productId))
      .where(eq(cartItems.cartId, sql.placeholder('cartId')))
      .orderBy(asc(cartItems.addedAt), asc(variants.sku)),
  );
const cartLines = { withImages: linesQuery(true), plain: linesQuery(false) };

/**
 * The cart's lines with current prices, stock and a thumbnail, in the order they were added.
 * Checkout passes `images: false`: it shows no pictures.
 */
export async function loadCartLines(conn: Conn, cartId: string, { images: withImages = true } = {}): Promise<CartLine[]> {
  const rows = await (withImages ? cartLines.withImages : cartLines.plain)(conn).execute({ cartId });
  return rows.map((r) => ({
    variantId: r.variantId,
    sku: r.sku,
    productName: r.productName,
    productSlug: r.productSlug,
    options: r.options,
    image: r.image ? { url: imageUrl(r.image.key, 'thumb'), alt: r.image.alt } : null,
    unitPrice: r.unitPrice,
    currency: r.currency,
    quantity: r.quantity,
    lineTotal: r.unitPrice * r.quantity,
    available: r.active ? Math.max(0, r.stock) : 0,
    weightGrams: r.weightGrams,
    taxCategory: r.taxCategory,
  }));
}

/** The cart's order (once it became one) and discount code. */
export const cartHeader = prepared('cart_header', (conn) =>
  conn.select({ orderId: carts.orderId, discountCode: carts.discountCode }).from(carts).where(eq(carts.id, sql.placeholder('id'))),
);

/**
 * The cart with current prices, its discount and totals (estimated for `choice`, the
 * discount chosen at `at`); not_found for an unknown id.
 */
export async function getCartView(conn: Conn, settings: StoreSettings, id: string, choice: TotalsChoice, at: DiscountContext): Promise<CartView> {
  const [cart] = await cartHeader(conn).execute({ id });
  if (!cart) throw notFound('Cart');
  const lines = await loadCartLines(conn, id);
  const chosen = await chooseDiscount(conn, settings, lines, choice, cart.discountCode, at);
  return {
    id,
    lines,
    itemCount: lines.reduce((n, l) => n + l.quantity, 0),
    currency: settings.currency,
    totals: chosen.totals,
    ...(choice.state ? { state: choice.state } : {}),
    orderId: cart.orderId,
    discountCode: cart.discountCode,
    ...(chosen.applied ? { discount: chosen.applied } : {}),
    ...(chosen.codeProblem ? { discountProblem: chosen.codeProblem } : {}),
  };
}

/** Puts discount code `code` on the cart; refuses (422) one that does not apply to it now, saying why. */
export async function applyDiscountCode(ctx: CartCtx, cartId: string, code: string): Promise<CartView> {
  return ctx.db.transaction(async (tx) => {
    await lockOpenCart(tx, cartId);
    const lines = await loadCartLines(tx, cartId, { images: false });
    const row = await checkCode(tx, ctx.settings(), code, lines.reduce((n, l) => n + l.lineTotal, 0), ctx.clock.now());
    await tx.update(carts).set({ discountCode: row.code, updatedAt: sql`now()` }).where(eq(carts.id, cartId));
    return getCartView(tx, ctx.settings(), cartId, {}, { now: ctx.clock.now() });
  });
}

export async function removeDiscountCode(ctx: CartCtx, cartId: string): Promise<CartView> {
  return ctx.db.transaction(async (tx) => {
    await lockOpenCart(tx, cartId);
    await tx.update(carts).set({ discountCode: null, updatedAt: sql`now()` }).where(eq(carts.id, cartId));
    return getCartView(tx, ctx.settings(), cartId, {}, { now: ctx.clock.now() });
  });
}

/** Adds `quantity` units of `sku`, on top of what the cart already holds. */
export async function addItem(ctx: CartCtx, cartId: string, sku: string, quantity: number): Promise<CartView> {
  checkPositive(quantity);
  return ctx.db.transaction(async (tx) => {
    await lockOpenCart(tx, cartId);
    const variant = await findVariant(tx, sku);
    const [line] = await tx
      .select({ quantity: cartItems.quantity })
      .from(cartItems)
      .where(and(eq(cartItems.cartId, cartId), eq(cartItems.variantId, variant.id)));
    const wanted = (line?.quantity ?? 0) + quantity;
    checkQuantity(variant, wanted, line?.quantity ?? 0);
    await tx
      .insert(cartItems)
      .values({ cartId, variantId: variant.id, quantity: wanted })
      .onConflictDoUpdate({ target: [cartItems.cartId, cartItems.variantId], set: { quantity: wanted } });
    return touched(tx, ctx, cartId);
  });
}

/** Sets a line's quantity; 0 removes the line. */
export async function setQuantity(ctx: CartCtx, cartId: string, sku: string, quantity: number): Promise<CartView> {
  if (quantity === 0) return removeItem(ctx, cartId, sku);
  checkPositive(quantity);
  return ctx.db.transaction(async (tx) => {
    await lockOpenCart(tx, cartId);
    const variant = await findVariant(tx, sku);
    const current = await lineQuantity(tx, cartId, variant);
    checkQuantity(variant, quantity, current);
    await tx.update(cartItems).set({ quantity }).where(and(eq(cartItems.cartId, cartId), eq(cartItems.variantId, variant.id)));
    return touched(tx, ctx, cartId);
  });
}

export async function removeItem(ctx: CartCtx, cartId: string, sku: string): Promise<CartView> {
  return ctx.db.transaction(async (tx) => {
    await lockOpenCart(tx, cartId);
    const variant = await findVariant(tx, sku);
    await lineQuantity(tx, cartId, variant);
    await tx.delete(cartItems).where(and(eq(cartItems.cartId, cartId), eq(cartItems.variantId, variant.id)));
    return touched(tx, ctx, cartId);
  });
}

// ------------------------------------------------------------------ rules

type Variant = { id: string; sku: string; name: string; stock: number };

/**
 * Locks the cart row so changes to one cart (and its checkout) happen one at a time;
 * refuses carts that do not exist or already became an order.
 */
export async function lockOpenCart(tx: Tx, cartId: string): Promise<{ orderId: string | null }> {
  const [cart] = await tx.select({ orderId: carts.orderId }).from(carts).where(eq(carts.id, cartId)).for('update');
  if (!cart) throw notFound('Cart');
  if (cart.orderId) throw new DomainError('conflict', 'This cart has already been checked out, so it can no longer change. Start a new cart to shop again.');
  return cart;
}

/** The buyable variants among `skus`, by SKU (products out of the catalog are left out). */
async function findVariants(tx: Tx, skus: string[]): Promise<Map<string, Variant>> {
  const rows = await tx
    .select({ id: variants.id, sku: variants.sku, name: products.name, stock: variants.stock, active: products.active })
    .from(variants)
    .innerJoin(products, eq(products.id, variants.productId))
    .where(inArray(variants.sku, skus));
  return new Map(rows.filter((v) => v.active).map((v) => [v.sku, v]));
}

async function findVariant(tx: Tx, sku: string): Promise<Variant> {
  const v = (await findVariants(tx, [sku])).get(sku);
  if (!v) throw new DomainError('not_found', `There is no product with SKU ${sku}.`);
  return v;
}

async function lineQuantity(tx: Tx, cartId: string, variant: Variant): Promise<number> {
  const [line] = await tx
    .select({ quantity: cartItems.quantity })
    .from(cartItems)
    .where(and(eq(cartItems.cartId, cartId), eq(cartItems.variantId, variant.id)));
  if (!line) throw new DomainError('not_found', `${variant.name} (SKU ${variant.sku}) is not in this cart.`);
  return line.quantity;
}

function checkPositive(quantity: number) {
  if (!Number.isInteger(quantity) || quantity < 1) throw validationFailed({ quantity: 'Enter a whole number of at least 1' });
}

/** `wanted` units of the variant in one line; lowering a line that is over stock is always allowed. */
function checkQuantity(variant: Variant, wanted: number, current: number) {
  if (wanted > MAX_PER_LINE) {
    throw validationFailed({ quantity: `You can buy up to ${MAX_PER_LINE} of one item per order` }, `You can buy up to ${MAX_PER_LINE} of ${variant.name} per order.`);
  }
  if (wanted > variant.stock && wanted > current) {
    const message = variant.stock <= 0 ? `${variant.name} is out of stock.` : `Only ${variant.stock} of ${variant.name} left in stock.`;
    throw new DomainError('out_of_stock', message, { skus: [variant.sku], available: Math.max(0, variant.stock) });
  }
}

async function touched(tx: Tx, ctx: CartCtx, cartId: string): Promise<CartView> {
  await tx.update(carts).set({ updatedAt: sql`now()` }).where(eq(carts.id, cartId));
  return getCartView(tx, ctx.settings(), cartId, {}, { now: ctx.clock.now() });
}
