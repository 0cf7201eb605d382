// Storefront cart: the product page's "Add to cart" form, the cart page and its
// update/remove forms. The cart id lives in an HttpOnly cookie; every change redirects
// back to the cart (post/redirect/get) with a one-time message.
import { z } from 'zod';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { addItem, applyDiscountCode, createCart, getCartView, removeDiscountCode, removeItem, setQuantity, type CartView, type TotalsChoice } from '../../domain/cart/cart-service.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import { formatMoney } from '../../domain/shared/money.ts';
import { sameOriginOnly } from '../same-origin.ts';
import { render } from './html.tsx';
import { CART_COUNT_COOKIE, sendPage } from './visitor.ts';
import { CartPageView, lineLabel, type Flash } from './views/cart-views.tsx';

export const CART_COOKIE = 'cart';
const FLASH_COOKIE = 'cart_flash';
const CART_MAX_AGE_S = 30 * 24 * 3600;

const cookieBase = (req: FastifyRequest) => ({ path: '/', sameSite: 'lax' as const, secure: req.protocol === 'https' });

/** The visitor's cart id from the cookie (shape-checked; the database decides whether it exists). */
export function cartIdOf(req: FastifyRequest): string | undefined {
  const id = req.cookies?.[CART_COOKIE];
  return id && /^[A-Za-z0-9_-]{20,100}$/.test(id) ? id : undefined;
}

/**
 * The visitor's open cart, or undefined (no cookie, unknown id, or already an order;
 * `includeOrdered` keeps the last, for a repeated checkout that must get its first answer;
 * `email`, once the checkout form gives it, counts the per-customer caps of discounts).
 */
export async function openCart(ctx: AppContext, req: FastifyRequest, choice: TotalsChoice = {}, includeOrdered = false, email?: string): Promise<CartView | undefined> {
  const id = cartIdOf(req);
  if (!id) return undefined;
  try {
    const view = await getCartView(ctx.db, ctx.settings(), id, choice, { now: ctx.clock.now(), ...(email ? { email } : {}) });
    return view.orderId && !includeOrdered ? undefined : view;
  } catch (err) {
    if (err instanceof DomainError && err.code === 'not_found') return undefined;
    throw err;
  }
}

/** Keeps the cart cookie and the header's item count in step with the cart. */
export function rememberCart(req: FastifyRequest, reply: FastifyReply, view: Pick<CartView, 'id' | 'itemCount'>) {
  reply.setCookie(CART_COOKIE, view.id, { ...cookieBase(req), httpOnly: true, maxAge: CART_MAX_AGE_S });
  reply.setCookie(CART_COUNT_COOKIE, String(view.itemCount), { ...cookieBase(req), maxAge: CART_MAX_AGE_S });
}

export function forgetCart(req: FastifyRequest, reply: FastifyReply) {
  reply.clearCookie(CART_COOKIE, cookieBase(req));
  reply.clearCookie(CART_COUNT_COOKIE, cookieBase(req));
  // The header of the page being answered shows the new count too.
  if (req.cookies) delete req.cookies[CART_COUNT_COOKIE];
}

export function flashTo(req: FastifyRequest, reply: FastifyReply, flash: Flash) {
  reply.setCookie(FLASH_COOKIE, JSON.stringify({ kind: flash.kind, text: flash.text.slice(0, 400) }), { ...cookieBase(req), path: '/cart', httpOnly: true, maxAge: 60 });
}

function takeFlash(req: FastifyRequest, reply: FastifyReply): Flash | undefined {
  const raw = req.cookies?.[FLASH_COOKIE];
  if (!raw) return undefined;
  reply.clearCookie(FLASH_COOKIE, { ...cookieBase(req), path: '/cart' });
  try {
    const f = JSON.parse(raw) as Flash;
    return (f.kind === 'ok' || f.kind === 'error') && typeof f.text === 'string' ? { kind: f.kind, text: f.text } : undefined;
  } catch {
    return undefined;
  }
}

const sku = z.string().trim().min(1).max(64);
const addForm = z.object({ sku, quantity: z.coerce.number().int().min(1).max(999) });
const updateForm = z.object({ sku, quantity: z.coerce.number().int().min(0).max(999) });
const removeForm = z.object({ sku });
const discountForm = z.object({ code: z.string().max(64).catch('') });

/** Refusals a shopper can act on become the cart page's message; anything else is a real error. */
const SHOPPER_ERRORS = new Set(['out_of_stock', 'validation_failed', 'not_found', 'conflict']);

export async function cartPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const back = (reply: FastifyReply) => reply.header('cache-control', 'no-store').redirect('/cart', 303);

  /** Runs a cart change, then goes back to the cart with what happened. */
  async function change(req: FastifyRequest, reply: FastifyReply, run: () => Promise<CartView>, done: (v: CartView) => string) {
    try {
      const view = await run();
      rememberCart(req, reply, view);
      flashTo(req, reply, { kind: 'ok', text: done(view) });
    } catch (err) {
      if (!(err instanceof DomainError) || !SHOPPER_ERRORS.has(err.code)) throw err;
      flashTo(req, reply, { kind: 'error', text: err.message });
    }
    return back(reply);
  }

  const nameOf = (view: CartView, s: string) => {
    const line = view.lines.find((l) => l.sku === s);
    return line ? lineLabel(line) : s;
  };

  app.post('/cart/items', { preHandler: sameOriginOnly, schema: { hide: true } }, async (req, reply) => {
    const form = addForm.safeParse(req.body ?? {});
    if (!form.success) {
      flashTo(req, reply, { kind: 'error', text: 'Choose a product and a quantity of at least 1.' });
      return back(reply);
    }
    const id = (await openCart(ctx, req))?.id ?? (await createCart(ctx));
    return change(
      req,
      reply,
      () => addItem(ctx, id, form.data.sku, form.data.quantity),
      (v) => `Added ${form.data.quantity} × ${nameOf(v, form.data.sku)} to your cart.`,
    );
  });

  app.post('/cart/update', { preHandler: sameOriginOnly, schema: { hide: true } }, async (req, reply) => {
    const form = updateForm.safeParse(req.body ?? {});
    const cart = await openCart(ctx, req);
    if (!cart) return back(reply);
    if (!form.success) {
      flashTo(req, reply, { kind: 'error', text: 'Enter a quantity of 0 or more (0 removes the item).' });
      return back(reply);
    }
    const name = nameOf(cart, form.data.sku);
    return change(
      req,
      reply,
      () => setQuantity(ctx, cart.id, form.data.sku, form.data.quantity),
      () => (form.data.quantity === 0 ? `Removed ${name} from your cart.` : `Updated ${name} to ${form.data.quantity}.`),
    );
  });

  app.post('/cart/remove', { preHandler: sameOriginOnly, schema: { hide: true } }, async (req, reply) => {
    const form = removeForm.safeParse(req.body ?? {});
    const cart = await openCart(ctx, req);
    if (!cart || !form.success) return back(reply);
    const name = nameOf(cart, form.data.sku);
    return change(
      req,
      reply,
      () => removeItem(ctx, cart.id, form.data.sku),
      () => `Removed ${name} from your cart.`,
    );
  });

  app.post('/cart/discount', { preHandler: sameOriginOnly, schema: { hide: true } }, async (req, reply) => {
    const form = discountForm.parse(req.body ?? {});
    const cart = await openCart(ctx, req);
    if (!cart) return back(reply);
    return change(
      req,
      reply,
      () => applyDiscountCode(ctx, cart.id, form.code ?? ''),
      (v) =>
        v.discount?.code
          ? `Discount code ${v.discount.code.toUpperCase()} applied: you save ${formatMoney(v.discount.amount, v.currency)}.`
          : `The code ${form.code.trim().toUpperCase()} is on your cart, but ${v.discount?.label ?? 'another promotion'} saves you more, so that applies instead.`,
    );
  });

  app.post('/cart/discount/remove', { preHandler: sameOriginOnly, schema: { hide: true } }, async (req, reply) => {
    const cart = await openCart(ctx, req);
    if (!cart) return back(reply);
    return change(req, reply, () => removeDiscountCode(ctx, cart.id), () => 'Discount code removed.');
  });

  app.get('/cart', { schema: { hide: true } }, async (req, reply) => {
    const view = await openCart(ctx, req);
    const flash = takeFlash(req, reply);
    if (view) {
      rememberCart(req, reply, view);
      req.cookies[CART_COUNT_COOKIE] = String(view.itemCount);
    } else if (cartIdOf(req)) {
      forgetCart(req, reply);
    }
    const main = render(<CartPageView view={view} settings={ctx.settings()} flash={flash} />);
    return sendPage(ctx, req, reply, { title: 'Your cart', main, noindex: true });
  });
}
