// Placing an order: the cart becomes an order only once the card is authorized, and stock
// and money stay right under every race a real shop sees.
//
//   1. Idempotency: the request claims `checkout:<cart>:<key>`. A repeat (double click,
//      retry, two identical requests at once) waits for the first and gets its stored
//      answer; the same key with another request body is refused.
//   2. A payments row ('pending') is written before the provider hears of the charge, so
//      no charge can exist that the store has no record of.
//   3. Authorize. A decline or failure creates no order and holds no stock.
//   4. One transaction: stock decremented with conditional UPDATEs (a line that no longer
//      fits fails, nothing is oversold), order and lines snapshotted, payment linked, cart
//      closed, timeline event, confirmation email, answer stored.
//      If it fails (stock ran out meanwhile), the authorization is voided: compensation.
//   5. Capture, after commit.
//
// Crashes between the steps leave rows that voidOrphanPayments and
// captureUncapturedPayments settle later.
import { and, asc, eq, gte, inArray, isNotNull, isNull, notExists, sql } from 'drizzle-orm';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppContext } from '../../context.ts';
import type { Conn, Tx } from '../../db/client.ts';
import { carts, idempotencyKeys, orderItems, orders, payments, products, stockLedger, variants, type Address } from '../../db/schema.ts';
import { DomainError, notFound, type ErrorCode } from '../shared/errors.ts';
import { readableNumber, sha256 } from '../shared/ids.ts';
import { announceChange } from '../shared/change-bus.ts';
import { appendOrderEvent } from '../orders/order-events.ts';
import { enqueueEmail } from '../notifications/outbox.ts';
import type { OrderConfirmationPayload } from '../notifications/email-payloads.ts';
import { summarizeCard, type PaymentProvider } from '../payments/provider.ts';
import type { PaymentRegistry } from '../payments/registry.ts';
import { getCartView, loadCartLines, lockOpenCart, type CartLine } from '../cart/cart-service.ts';
import type { CheckoutInput } from './checkout-input.ts';
import { computeTotals } from './totals.ts';
import { receiptOf, type OrderReceipt } from './order-receipt.ts';

/** How long a repeat waits for the first request with its key before giving up (409). */
const DUPLICATE_WAIT_MS = 30_000;
/** Attempts at a fresh random order number before giving up (each collision is ~1 in 850 billion). */
const ORDER_NUMBER_ATTEMPTS = 5;
/** Default grace before reconciliation touches a payment: far longer than any checkout takes. */
export const RECONCILE_AFTER_MS = 15 * 60_000;

export type PlaceOrderArgs = { cartId: string; input: CheckoutInput; idempotencyKey: string; payments: PaymentRegistry };

/** What a checkout answered, kept with its idempotency key so a repeat answers the same. */
type StoredAnswer = { order: OrderReceipt } | { error: { code: ErrorCode; message: string; details?: unknown } };

const customer = { kind: 'customer' } as const;

/** Places the order for cart `cartId`; returns its receipt or throws the DomainError a repeat would get too. */
export async function placeOrder(ctx: AppContext, { cartId, input, idempotencyKey, payments: registry }: PlaceOrderArgs): Promise<OrderReceipt> {
  if (!/^[\x21-\x7e]{1,255}$/.test(idempotencyKey)) {
    throw new DomainError('bad_request', 'The Idempotency-Key must be 1 to 255 visible ASCII characters, e.g. a UUID.');
  }
  const provider = registry.get(input.payment.provider);
  const [cart] = await ctx.db.select({ id: carts.id }).from(carts).where(eq(carts.id, cartId));
  if (!cart) throw notFound('Cart');

  const key = `checkout:${cartId}:${idempotencyKey}`;
  const earlier = await claim(ctx, key, requestHash(input));
  if (earlier) return replay(earlier);
  try {
    return await attempt(ctx, provider, key, cartId, input);
  } catch (err) {
    if (err instanceof DomainError) {
      await remember(ctx.db, key, { error: { code: err.code, message: err.message, details: err.details } });
    } else {
      // Not an answer but an accident (database gone, bug): forget the claim so a retry can run.
      await ctx.db
        .delete(idempotencyKeys)
        .where(and(eq(idempotencyKeys.key, key), eq(idempotencyKeys.state, 'in_progress')))
        .catch(() => {});
    }
    throw err;
  }
}

async function attempt(ctx: AppContext, provider: PaymentProvider, key: string, cartId: string, input: CheckoutInput): Promise<OrderReceipt> {
  const settings = ctx.settings();
  const choice = { shippingMethod: input.shippingMethod, state: input.shippingAddress.state };
  const cart = await getCartView(ctx.db, settings, cartId, choice);
  if (cart.orderId) throw alreadyOrdered();
  if (cart.lines.length === 0) throw new DomainError('conflict', 'The cart is empty: add products before checking out.');
  // Refuse before charging when the shortage is already visible; the transaction below
  // still decides, since stock may run out while the card is being authorized.
  const short = cart.lines.filter((l) => l.quantity > l.available);
  if (short.length) throw outOfStock(short);

  const amount = cart.totals.total;
  const card = summarizeCard({ number: input.payment.cardNumber, expMonth: input.payment.expMonth, expYear: input.payment.expYear, cvc: '' });
  const [payment] = await ctx.db
    .insert(payments)
    .values({
      provider: provider.name,
      amount,
      currency: settings.currency,
      status: 'pending',
      cartId,
      idempotencyKey: key,
      cardBrand: card.brand,
      cardLast4: card.last4,
      cardExpMonth: card.expMonth,
      cardExpYear: card.expYear,
    })
    .returning();
  const paymentId = payment!.id;
  const providerKey = (op: string) => `${key}:${paymentId}:${op}`;

  const auth = await provider
    .authorize({
      amount,
      currency: settings.currency,
      card: { number: input.payment.cardNumber, expMonth: input.payment.expMonth, expYear: input.payment.expYear, cvc: input.payment.cvc },
      idempotencyKey: providerKey('authorize'),
      description: `${settings.storeName} order`,
    })
    .catch(async (err: unknown) => {
      // The processor did not answer. Were it to have authorized anyway, that authorization
      // is never captured and lapses; the row says what happened.
      ctx.log.error({ err, paymentId }, 'payment authorization failed');
      await setPayment(ctx.db, paymentId, { status: 'failed', declineCode: 'processing_error', message: 'The card processor did not answer.' });
      throw new DomainError('payment_declined', 'We could not reach the card processor, so no payment was taken. Please try again in a moment.', {
        declineCode: 'processing_error',
      });
    });

  if (auth.status !== 'authorized') {
    await setPayment(ctx.db, paymentId, {
      status: auth.status,
      providerTransactionId: auth.transactionId ?? null,
      declineCode: auth.declineCode,
      message: auth.message,
    });
    throw new DomainError('payment_declined', auth.message, { declineCode: auth.declineCode });
  }
  if (!(await setPayment(ctx.db, paymentId, { status: 'authorized', providerTransactionId: auth.transactionId }, ['pending']))) {
    // The processor answered after the reconciliation grace and the attempt was closed meanwhile.
    await voidAuthorization(ctx, provider, { id: paymentId, transactionId: auth.transactionId, voidKey: providerKey('void') }, 'Authorized after the checkout was closed.');
    throw new DomainError('payment_failed', 'This checkout took too long and its payment was released; nothing was charged. Please place the order again.');
  }

  let receipt: OrderReceipt;
  try {
    receipt = await ctx.db.transaction((tx) => createOrder(ctx, tx, { key, cartId, input, expected: cart.lines, amount, paymentId }));
  } catch (err) {
    // Compensation: the order was not made, so the money must not stay reserved.
    await voidAuthorization(ctx, provider, { id: paymentId, transactionId: auth.transactionId, voidKey: providerKey('void') }, 'Order not created: ' + (err as Error).message);
    throw err;
  }

  await capture(ctx, provider, { id: paymentId, transactionId: auth.transactionId, amount, captureKey: providerKey('capture') });
  return receipt;
}

/** Everything that makes the order, in the caller's transaction. Throws (rolling back) when stock or the cart changed. */
async function createOrder(
  ctx: AppContext,
  tx: Tx,
  a: { key: string; cartId: string; input: CheckoutInput; expected: CartLine[]; amount: number; paymentId: string },
): Promise<OrderReceipt> {
  const settings = ctx.settings();
  const { input } = a;
  await lockOpenCart(tx, a.cartId).catch((err) => {
    throw err instanceof DomainError && err.code === 'conflict' ? alreadyOrdered() : err;
  });
  const lines = await loadCartLines(tx, a.cartId);
  const totals = computeTotals(settings, lines, { shippingMethod: input.shippingMethod, state: input.shippingAddress.state });
  // The shopper was charged for what they saw: if the cart or its prices moved meanwhile, start over.
  if (fingerprint(lines) !== fingerprint(a.expected) || totals.total !== a.amount) {
    throw new DomainError('conflict', 'Your cart changed while the payment was being made. Nothing was charged: please review your cart and place the order again.');
  }

  // Conditional decrements in one lock order (by variant id), so two checkouts never deadlock.
  const stockAfter = new Map<string, number>();
  const short: CartLine[] = [];
  for (const line of [...lines].sort((x, y) => (x.variantId < y.variantId ? -1 : 1))) {
    const [row] = await tx
      .update(variants)
      .set({ stock: sql`${variants.stock} - ${line.quantity}` })
      .where(
        and(
          eq(variants.id, line.variantId),
          gte(variants.stock, line.quantity),
          sql`exists (select 1 from ${products} where ${products.id} = ${variants.productId} and ${products.active})`,
        ),
      )
      .returning({ stock: variants.stock });
    if (row) stockAfter.set(line.variantId, row.stock);
    else short.push(line);
  }
  if (short.length) {
    const left = await tx.select({ id: variants.id, stock: variants.stock }).from(variants).where(inArray(variants.id, short.map((l) => l.variantId)));
    const available = new Map(left.map((v) => [v.id, v.stock]));
    throw outOfStock(short.map((l) => ({ ...l, available: available.get(l.variantId) ?? 0 })));
  }

  const address: Address = { ...input.shippingAddress };
  if (!address.line2) delete address.line2;
  let order: typeof orders.$inferSelect | undefined;
  for (let i = 0; i < ORDER_NUMBER_ATTEMPTS && !order; i++) {
    [order] = await tx
      .insert(orders)
      .values({
        number: readableNumber(settings.orderNumberPrefix),
        status: 'paid',
        email: input.email,
        phone: input.phone,
        shippingAddress: address,
        shippingMethod: input.shippingMethod,
        currency: settings.currency,
        subtotal: totals.subtotal,
        shipping: totals.shipping,
        tax: totals.tax,
        total: totals.total,
        taxRateBp: totals.taxRateBp,
        cartId: a.cartId,
      })
      .onConflictDoNothing({ target: orders.number })
      .returning();
  }
  if (!order) throw new Error('Could not find a free order number');

  const items = await tx
    .insert(orderItems)
    .values(
      lines.map((l, position) => ({
        orderId: order.id,
        variantId: l.variantId,
        sku: l.sku,
        productName: l.productName,
        productSlug: l.productSlug,
        options: l.options,
        unitPrice: l.unitPrice,
        quantity: l.quantity,
        lineTotal: l.lineTotal,
        tax: totals.lineTax[position]!,
        position,
      })),
    )
    .returning();
  await tx.insert(stockLedger).values(
    lines.map((l) => ({ variantId: l.variantId, delta: -l.quantity, stockAfter: stockAfter.get(l.variantId)!, reason: 'sale', orderId: order.id })),
  );
  // Only a payment still authorized and unclaimed: a checkout slower than the reconciliation
  // grace may have had its authorization voided meanwhile, and an order must never stand on it.
  const [payment] = await tx
    .update(payments)
    .set({ orderId: order.id, updatedAt: sql`now()` })
    .where(and(eq(payments.id, a.paymentId), eq(payments.status, 'authorized'), isNull(payments.orderId)))
    .returning();
  if (!payment) {
    throw new DomainError('payment_failed', 'This checkout took too long and its payment was released; nothing was charged. Please place the order again.');
  }
  await tx.update(carts).set({ orderId: order.id, updatedAt: sql`now()` }).where(eq(carts.id, a.cartId));
  await appendOrderEvent(tx, {
    orderId: order.id,
    type: 'placed',
    actor: customer,
    from: null,
    to: 'paid',
    details: { total: order.total, currency: order.currency, paymentId: payment!.id, transactionId: payment!.providerTransactionId },
  });

  const receipt = receiptOf(ctx, order, items, payment!);
  await enqueueEmail(tx, {
    template: 'order_confirmation',
    to: order.email,
    orderId: order.id,
    payload: confirmationPayload(receipt, settings.shipping.methods[input.shippingMethod].label, payment!.createdAt),
  });
  await announceChange(tx, 'catalog');
  await remember(tx, a.key, { order: receipt });
  return receipt;
}

function confirmationPayload(r: OrderReceipt, shippingMethodLabel: string, paidAt: Date): OrderConfirmationPayload {
  return {
    order: {
      number: r.number,
      createdAt: r.createdAt,
      currency: r.currency,
      items: r.items.map((i) => ({ name: i.name, sku: i.sku, options: i.options, quantity: i.quantity, unitPrice: i.unitPrice, lineTotal: i.lineTotal })),
      ...r.totals,
      shippingMethodLabel,
      shippingAddress: r.shippingAddress,
      email: r.email,
      phone: r.phone,
    },
    payment: { ...r.payment, createdAt: paidAt.toISOString() },
    trackingUrl: r.trackingUrl,
  };
}

// ------------------------------------------------------------------ idempotency

/** Same request ⇔ same hash. The card is represented by what is kept of it (brand, last 4, expiry), never the number. */
function requestHash(input: CheckoutInput): string {
  const { cardNumber, cvc: _cvc, ...payment } = input.payment;
  const card = summarizeCard({ number: cardNumber, expMonth: payment.expMonth, expYear: payment.expYear, cvc: '' });
  return sha256(JSON.stringify({ ...input, payment: { ...payment, brand: card.brand, last4: card.last4 } }));
}

/**
 * Claims `key` for this request. Returns undefined when the claim is ours; otherwise waits
 * for the request that holds it and returns its stored answer.
 */
async function claim(ctx: AppContext, key: string, hash: string): Promise<StoredAnswer | undefined> {
  const deadline = performance.now() + DUPLICATE_WAIT_MS;
  for (let pause = 10; ; pause = Math.min(pause * 2, 200)) {
    const [mine] = await ctx.db
      .insert(idempotencyKeys)
      .values({ key, requestHash: hash, state: 'in_progress' })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (mine) return undefined;
    const [row] = await ctx.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key));
    if (!row) continue; // the holder gave up between our two queries: claim again
    if (row.requestHash !== hash) {
      throw new DomainError('idempotency_conflict', 'This Idempotency-Key was already used for a different checkout request. Use a new key for a new attempt.');
    }
    if (row.state === 'done') return row.responseBody as StoredAnswer;
    if (performance.now() > deadline) {
      throw new DomainError('conflict', 'A checkout with this Idempotency-Key is still being processed. Try again in a moment.');
    }
    await sleep(pause);
  }
}

async function remember(conn: Conn, key: string, answer: StoredAnswer) {
  const status = 'order' in answer ? 201 : null; // a refusal's status follows from its error code
  await conn
    .update(idempotencyKeys)
    .set({ state: 'done', responseStatus: status, responseBody: answer })
    .where(and(eq(idempotencyKeys.key, key), eq(idempotencyKeys.state, 'in_progress')));
}

function replay(answer: StoredAnswer): OrderReceipt {
  if ('order' in answer) return answer.order;
  throw new DomainError(answer.error.code, answer.error.message, answer.error.details);
}

// ------------------------------------------------------------------ payments

type PaymentUpdate = Partial<Pick<typeof payments.$inferInsert, 'status' | 'providerTransactionId' | 'declineCode' | 'message'>>;

async function setPayment(conn: AppContext['db'], id: string, set: PaymentUpdate, onlyFrom?: string[]): Promise<boolean> {
  const rows = await conn
    .update(payments)
    .set({ ...set, updatedAt: sql`now()` })
    .where(onlyFrom ? and(eq(payments.id, id), inArray(payments.status, onlyFrom)) : eq(payments.id, id))
    .returning({ id: payments.id });
  return rows.length > 0;
}

async function voidAuthorization(ctx: AppContext, provider: PaymentProvider, p: { id: string; transactionId: string; voidKey: string }, why: string) {
  const result = await provider.void({ transactionId: p.transactionId, idempotencyKey: p.voidKey }).catch((err: unknown) => ({ status: 'failed' as const, message: String(err) }));
  if (result.status === 'voided') {
    await setPayment(ctx.db, p.id, { status: 'voided', message: why.slice(0, 500) }, ['pending', 'authorized']);
  } else {
    // Still 'authorized' with no order: voidOrphanPayments tries again later.
    ctx.log.error({ paymentId: p.id, reason: result.message }, 'voiding an authorization failed');
  }
}

async function capture(ctx: AppContext, provider: PaymentProvider, p: { id: string; transactionId: string; amount: number; captureKey: string }) {
  const result = await provider
    .capture({ transactionId: p.transactionId, amount: p.amount, idempotencyKey: p.captureKey })
    .catch((err: unknown) => ({ status: 'failed' as const, message: String(err) }));
  if (result.status === 'captured') {
    await setPayment(ctx.db, p.id, { status: 'captured' }, ['authorized']);
  } else {
    // The order stands (it is paid for by the authorization); captureUncapturedPayments retries.
    ctx.log.error({ paymentId: p.id, reason: result.message }, 'capturing a payment failed');
  }
}

const providerKeyOf = (p: { id: string; idempotencyKey: string | null }, op: string) => `${p.idempotencyKey ?? `payment:${p.id}`}:${p.id}:${op}`;

/**
 * Crash safety: releases checkout payments that never got an order (the process died
 * between authorization and order creation, or a void failed). Authorizations are voided
 * at the provider; attempts that never reached it are closed as failed. Their idempotency
 * keys get a final answer, and keys of requests that died before any payment are freed.
 * Runs after `olderThanMs`, so checkouts still in flight are left alone.
 */
export async function voidOrphanPayments(ctx: AppContext, olderThanMs = RECONCILE_AFTER_MS): Promise<{ voided: number; failed: number }> {
  const older = sql`now() - make_interval(secs => ${olderThanMs / 1000})`;
  const orphans = await ctx.db
    .select()
    .from(payments)
    .where(and(inArray(payments.status, ['pending', 'authorized']), isNull(payments.orderId), sql`${payments.createdAt} < ${older}`))
    .orderBy(asc(payments.createdAt))
    .limit(500);
  let voided = 0;
  let failed = 0;
  for (const p of orphans) {
    if (p.status === 'authorized' && p.providerTransactionId) {
      let provider: PaymentProvider;
      try {
        provider = ctx.payments.get(p.provider);
      } catch {
        ctx.log.error({ paymentId: p.id, provider: p.provider }, 'orphan payment of an unknown provider');
        continue;
      }
      const transactionId = p.providerTransactionId;
      // The payment row stays locked while the provider voids: a checkout that is merely slow
      // (not dead) waits here, then finds the payment released and creates no order; if it
      // linked its order first, the row no longer qualifies and is left alone.
      const outcome = await ctx.db.transaction(async (tx) => {
        const [still] = await tx
          .select({ id: payments.id })
          .from(payments)
          .where(and(eq(payments.id, p.id), eq(payments.status, 'authorized'), isNull(payments.orderId)))
          .for('update');
        if (!still) return 'linked';
        const result = await provider.void({ transactionId, idempotencyKey: providerKeyOf(p, 'void') }).catch((err: unknown) => ({ status: 'failed' as const, message: String(err) }));
        if (result.status !== 'voided') return result.message ?? 'void failed';
        await tx.update(payments).set({ status: 'voided', message: 'Checkout interrupted: the authorization was released.', updatedAt: sql`now()` }).where(eq(payments.id, p.id));
        return 'voided';
      });
      if (outcome === 'linked') continue;
      if (outcome !== 'voided') {
        ctx.log.error({ paymentId: p.id, reason: outcome }, 'voiding an orphan payment failed');
        continue;
      }
      voided++;
    } else if (await setPayment(ctx.db, p.id, { status: 'failed', message: 'Checkout interrupted before the card processor answered; nothing was captured.' }, ['pending'])) {
      failed++;
    }
    if (p.idempotencyKey) {
      await remember(ctx.db, p.idempotencyKey, {
        error: { code: 'payment_failed', message: 'This checkout was interrupted and its payment released; nothing was charged. Please place the order again.' },
      });
    }
  }
  await ctx.db
    .delete(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.state, 'in_progress'),
        sql`${idempotencyKeys.key} like 'checkout:%'`,
        sql`${idempotencyKeys.createdAt} < ${older}`,
        notExists(ctx.db.select({ id: payments.id }).from(payments).where(eq(payments.idempotencyKey, idempotencyKeys.key))),
      ),
    );
  return { voided, failed };
}

/**
 * Crash safety: captures authorizations whose order was created but whose capture never
 * happened (the process died right after the order transaction, or the provider was down).
 * An order cancelled meanwhile gets its authorization voided instead.
 */
export async function captureUncapturedPayments(ctx: AppContext, olderThanMs = RECONCILE_AFTER_MS): Promise<{ captured: number; voided: number }> {
  const pending = await ctx.db
    .select({ payment: payments, orderStatus: orders.status })
    .from(payments)
    .innerJoin(orders, eq(orders.id, payments.orderId))
    .where(
      and(
        eq(payments.status, 'authorized'),
        isNotNull(payments.providerTransactionId),
        sql`${payments.createdAt} < now() - make_interval(secs => ${olderThanMs / 1000})`,
      ),
    )
    .limit(500);
  let captured = 0;
  let voided = 0;
  for (const { payment: p, orderStatus } of pending) {
    const provider = ctx.payments.get(p.provider);
    if (orderStatus === 'cancelled') {
      await voidAuthorization(ctx, provider, { id: p.id, transactionId: p.providerTransactionId!, voidKey: providerKeyOf(p, 'void') }, 'Order cancelled before capture.');
      voided++;
    } else {
      await capture(ctx, provider, { id: p.id, transactionId: p.providerTransactionId!, amount: p.amount, captureKey: providerKeyOf(p, 'capture') });
      captured++;
    }
  }
  return { captured, voided };
}

// ------------------------------------------------------------------ refusals

const fingerprint = (lines: CartLine[]) => JSON.stringify(lines.map((l) => [l.variantId, l.quantity, l.unitPrice]).sort());

const alreadyOrdered = () => new DomainError('conflict', 'This cart has already been turned into an order. Start a new cart to shop again.');

const lineName = (l: CartLine) => {
  const options = Object.values(l.options).join(', ');
  return options ? `${l.productName} (${options})` : l.productName;
};

function outOfStock(short: CartLine[]): DomainError {
  const what = short.map((l) => `${lineName(l)}: ${l.available <= 0 ? 'sold out' : `only ${l.available} left`}`).join('; ');
  return new DomainError('out_of_stock', `Not enough stock for ${what}. Your card was not charged. Lower the quantity or remove the item to continue.`, {
    skus: short.map((l) => l.sku),
    items: short.map((l) => ({ sku: l.sku, name: lineName(l), requested: l.quantity, available: Math.max(0, l.available) })),
  });
}
