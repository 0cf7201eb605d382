// Placing the order from a payment: the one idempotent verb behind the shopper's return
// from the payment page, the provider's webhook and the reconciler, whichever comes first.
// Each asks the provider what is true (never trusting a redirect's query string or a
// webhook's snapshot), then:
//   - paid (authorized or captured) → one transaction locks the payment row, writes the
//     order with its lines, payment link, cart claim and timeline event, then the
//     confirmation email and the checkout's idempotent answer, and last takes the stock with
//     conditional UPDATEs and their ledger rows (and the discount's redemption); the
//     statements are in order-writes.ts. The second caller finds the order already linked
//     and returns it.
//   - paid, but the stock is gone or the cart already has an order → the payment is
//     released (voided, or refunded when captured) and the shopper is emailed.
//   - not paid yet → nothing changes; declined for good → the payment is closed.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { settleChangesPayment } from '../edits/edit-payments.ts';
import type { Tx } from '../../db/client.ts';
import { carts, orders, payments, variants } from '../../db/schema.ts';
import { DomainError } from '../shared/errors.ts';
import { readableNumber } from '../shared/ids.ts';
import { checkoutSubscribers, emitOrderWebhooks, emitStockLowWebhooks } from '../webhooks/webhook-fanout.ts';
import { enqueueEmail } from '../notifications/outbox.ts';
import type { DeclineCode, PaymentProvider, ProviderPayment } from '../payments/provider.ts';
import { lineName, type CheckoutSnapshot, type SnapshotLine } from './checkout-snapshot.ts';
import { confirmationPayload, receiptOf, loadOrderReceipt, type OrderReceipt } from './order-receipt.ts';
import { finishRelease } from '../payments/payment-release.ts';
import { rememberAnswer } from './checkout-answers.ts';
import { insertOrder, isOrderNumberTaken, queueConfirmation, takeLineStock } from './order-writes.ts';
import { redeemDiscount } from '../discounts/discount-service.ts';

export type Payment = typeof payments.$inferSelect;

/** What became of a payment, as the shopper's return page and the API report it. */
export type Settlement =
  | { outcome: 'placed'; order: OrderReceipt }
  /** The shopper has not paid (yet), or the provider is still confirming. */
  | { outcome: 'pending'; message?: string }
  /** Over without money. */
  | { outcome: 'declined'; declineCode: DeclineCode; message: string }
  /** Paid, but no order could be made: the money is going back. */
  | { outcome: 'released'; error: DomainError };

/** Attempts at a fresh random order number before giving up (each collision is ~1 in 850 billion). */
const ORDER_NUMBER_ATTEMPTS = 5;

const customer = { kind: 'customer' } as const;

/** Statuses after which no order will be made from the payment. */
const CLOSED = ['declined', 'failed', 'expired', 'voided', 'releasing', 'refunded'];

/**
 * Settles `payment` (its row as just read or written) from the provider's current view
 * (`truth`, or asked now). A row that went stale meanwhile is harmless: the order
 * transaction re-reads it under lock.
 */
export async function settlePayment(ctx: AppContext, payment: Payment, truth?: ProviderPayment): Promise<Settlement> {
  const known = await settledAlready(ctx, payment);
  if (known) return known;
  // No session recorded yet: the request that opens it is still running and settles it (or else the reconciler does).
  if (!truth && !payment.providerSessionId) return { outcome: 'pending' };
  const provider = ctx.payments.get(payment.provider);
  const now = truth ?? (await provider.retrieve({ sessionId: payment.providerSessionId!, transactionId: payment.providerTransactionId }));
  switch (now.status) {
    case 'open':
    case 'processing':
      await recordAttempt(ctx, payment, now);
      return { outcome: 'pending', message: now.message };
    case 'canceled': {
      const declineCode = now.declineCode ?? 'card_declined';
      const message = now.message ?? 'The payment was not completed.';
      await ctx.db
        .update(payments)
        .set({ status: now.declineCode ? 'declined' : 'expired', declineCode, message, updatedAt: sql`now()` })
        .where(and(eq(payments.id, payment.id), inArray(payments.status, ['pending', 'open', 'processing'])));
      return { outcome: 'declined', declineCode, message };
    }
    case 'authorized':
    case 'captured':
      // The difference for an order's changes has no order to make: the order waits for it.
      return payment.purpose === 'edit' ? settleChangesPayment(ctx, payment, now) : placeOrderFromPayment(ctx, provider, payment.id, now);
  }
}

/** The answer when the payment is already settled one way or the other; undefined when the provider must be asked. */
async function settledAlready(ctx: AppContext, payment: Payment): Promise<Settlement | undefined> {
  // A checkout's payment is linked to its order once placed; a changes payment is linked from the start and done once paid.
  const done = payment.purpose === 'edit' ? ['captured', 'authorized'].includes(payment.status) : !!payment.orderId;
  if (done && payment.orderId) {
    const [order] = await ctx.db.select({ number: orders.number }).from(orders).where(eq(orders.id, payment.orderId));
    const receipt = order && (await loadOrderReceipt(ctx, ctx.db, order.number));
    if (receipt) return { outcome: 'placed', order: receipt };
  }
  if (payment.status === 'declined' || payment.status === 'failed' || payment.status === 'expired') {
    return { outcome: 'declined', declineCode: (payment.declineCode ?? 'card_declined') as DeclineCode, message: payment.message ?? 'The payment was not completed.' };
  }
  if (payment.status === 'voided' || payment.status === 'releasing' || payment.status === 'refunded') {
    return { outcome: 'released', error: new DomainError('conflict', payment.message ?? 'This payment was released and no order was made from it.') };
  }
  return undefined;
}

/** A declined attempt on the provider's page (the shopper may still retry there): kept for staff and the shopper's return. */
async function recordAttempt(ctx: AppContext, payment: Payment, now: ProviderPayment) {
  await ctx.db
    .update(payments)
    .set({
      status: now.status === 'processing' ? 'processing' : 'open',
      providerTransactionId: now.transactionId ?? payment.providerTransactionId,
      declineCode: now.declineCode ?? null,
      message: now.message ?? null,
      updatedAt: sql`now()`,
    })
    .where(and(eq(payments.id, payment.id), inArray(payments.status, ['pending', 'open', 'processing'])));
}

/** Why a paid session could not become an order; thrown inside the transaction to undo the stock taken so far. */
class CannotPlace extends Error {
  constructor(
    readonly reason: 'out_of_stock' | 'duplicate' | 'discount_used_up',
    readonly error: DomainError,
    readonly detail = '',
  ) {
    super(error.message);
  }
}

/**
 * The order transaction for a payment the provider says is paid. Idempotent: with the
 * payment row locked, a second caller (webhook racing the return, a redelivery, the
 * reconciler) finds the order linked and returns it.
 */
export async function placeOrderFromPayment(ctx: AppContext, provider: PaymentProvider, paymentId: string, paid: ProviderPayment): Promise<Settlement> {
  let settled: Payment | undefined;
  let receipt: OrderReceipt | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      await ctx.db.transaction(async (tx) => {
        const [payment] = await tx.select().from(payments).where(eq(payments.id, paymentId)).for('update');
        if (!payment) throw new DomainError('not_found', 'Payment not found.');
        if (payment.orderId || CLOSED.includes(payment.status)) settled = payment;
        else receipt = await createOrder(ctx, tx, payment, paid);
      });
      break;
    } catch (err) {
      // The random order number was taken: the whole transaction went back, so try again with another.
      if (isOrderNumberTaken(err) && attempt < ORDER_NUMBER_ATTEMPTS) continue;
      if (!(err instanceof CannotPlace)) throw err;
      return release(ctx, provider, paymentId, paid, err);
    }
  }
  if (receipt) return { outcome: 'placed', order: receipt };
  return (await settledAlready(ctx, settled!)) ?? { outcome: 'pending' };
}

async function createOrder(ctx: AppContext, tx: Tx, payment: Payment, paid: ProviderPayment): Promise<OrderReceipt> {
  const settings = ctx.settings();
  const snap = payment.checkout as unknown as CheckoutSnapshot;
  const transactionId = paid.transactionId ?? payment.providerTransactionId;
  const total = snap.totals.total;
  const discountCode = snap.discount ? (snap.discount.code?.toUpperCase() ?? snap.discount.label) : null;
  const placedEvent = {
    type: 'placed',
    actor: customer,
    from: null,
    to: 'paid',
    details: { total, currency: payment.currency, ...(snap.discount ? { discount: snap.totals.discount ?? 0, discountCode } : {}), paymentId: payment.id, provider: payment.provider, transactionId, captured: paid.status === 'captured' },
  };
  const { order, items, payment: linked, cartClaimed } = await insertOrder(tx, {
    order: {
      number: readableNumber(settings.orderNumberPrefix),
      status: 'paid',
      email: snap.email,
      phone: snap.phone,
      shippingAddress: snap.shippingAddress,
      shippingMethod: snap.shippingMethod,
      currency: payment.currency,
      subtotal: snap.totals.subtotal,
      discount: snap.totals.discount ?? 0,
      // Codes are case-insensitive: the order keeps them as shoppers see them, upper case.
      discountCode,
      shipping: snap.totals.shipping,
      tax: snap.totals.tax,
      total,
      taxRateBp: snap.totals.taxRateBp,
      shippingTax: snap.totals.shippingTax ?? 0,
      taxBreakdown: snap.totals.jurisdictions ?? [],
      cartId: payment.cartId,
    },
    // A snapshot line holds exactly an order line's columns; older snapshots may lack the last two.
    items: snap.lines.map((l, position) => ({ ...l, discount: l.discount ?? 0, taxCategory: l.taxCategory ?? 'general', position })),
    payment: {
      id: payment.id,
      set: {
        status: paid.status,
        providerTransactionId: transactionId,
        amountCaptured: paid.amountCaptured,
        cardBrand: paid.card?.brand ?? payment.cardBrand,
        cardLast4: paid.card?.last4 ?? payment.cardLast4,
        cardExpMonth: paid.card?.expMonth ?? payment.cardExpMonth,
        cardExpYear: paid.card?.expYear ?? payment.cardExpYear,
        declineCode: null,
        message: null,
        updatedAt: sql`now()`,
      },
    },
    cartId: payment.cartId,
    event: placedEvent,
  });
  if (payment.cartId && !cartClaimed) await refuseIfCartTaken(tx, payment.cartId);
  const listeners = await checkoutSubscribers(tx);
  await emitOrderWebhooks(tx, { ...placedEvent, orderId: order.id }, listeners);

  const receipt = receiptOf(ctx, order, items, linked);
  await queueConfirmation(
    tx,
    {
      template: 'order_confirmation',
      to: order.email,
      orderId: order.id,
      payload: confirmationPayload(receipt, settings.shipping.methods[snap.shippingMethod].label, ctx.clock.now(), paid.status === 'captured'),
    },
    payment.idempotencyKey ? { key: payment.idempotencyKey, answer: { order: receipt } } : undefined,
  );

  // The rows every checkout of a product contends for (its variant, a shared code) are taken
  // last, so each is held only for the last few statements and the commit.
  const stockAfter = await takeStock(tx, snap.lines, order.id);
  if (snap.discount) {
    // Like stock: the last allowed redemption goes to one checkout; the others are released.
    const refused = await redeemDiscount(tx, snap.discount, order.id, snap.email);
    if (refused) {
      throw new CannotPlace(
        'discount_used_up',
        new DomainError('conflict', `${refused.message} Your payment is being returned in full, so nothing is charged. Remove the code from your cart to order without it.`),
        refused.message,
      );
    }
  }
  await emitStockLowWebhooks(
    tx,
    snap.lines.map((l) => ({ variantId: l.variantId, delta: -l.quantity, stockAfter: stockAfter.get(l.variantId)! })),
    settings.lowStockThreshold,
    ctx.clock.now(),
    listeners,
  );
  return receipt;
}

/**
 * The cart was not claimed: when another payment's order took it first (two checkouts of
 * one cart, e.g. in two tabs), this payment goes back. The claim's row lock made this one
 * wait for the first to commit, and then see its order.
 */
async function refuseIfCartTaken(tx: Tx, cartId: string): Promise<void> {
  const [cart] = await tx.select({ orderId: carts.orderId }).from(carts).where(eq(carts.id, cartId));
  if (cart?.orderId) {
    throw new CannotPlace('duplicate', new DomainError('conflict', 'This cart had already been paid for and turned into an order, so this payment is being returned.'));
  }
}

/**
 * Takes each line's stock and writes its ledger row, in one lock order (by variant id) so two
 * checkouts never deadlock; throws CannotPlace when a line no longer fits.
 */
async function takeStock(tx: Tx, lines: SnapshotLine[], orderId: string): Promise<Map<string, number>> {
  const stockAfter = new Map<string, number>();
  const short: SnapshotLine[] = [];
  for (const line of [...lines].sort((x, y) => (x.variantId < y.variantId ? -1 : 1))) {
    const left = await takeLineStock(tx, line, orderId);
    if (left !== undefined) stockAfter.set(line.variantId, left);
    else short.push(line);
  }
  if (short.length) {
    const left = await tx.select({ id: variants.id, stock: variants.stock }).from(variants).where(inArray(variants.id, short.map((l) => l.variantId)));
    const available = new Map(left.map((v) => [v.id, v.stock]));
    const items = short.map((l) => ({ sku: l.sku, name: lineName(l), requested: l.quantity, available: Math.max(0, available.get(l.variantId) ?? 0) }));
    const detail = items.map((i) => `${i.name}: ${i.available === 0 ? 'sold out' : `only ${i.available} left`}`).join('; ');
    throw new CannotPlace(
      'out_of_stock',
      new DomainError('out_of_stock', `Not enough stock for ${detail}. Your payment is being returned in full, so nothing is charged. Lower the quantity or remove the item to continue.`, {
        skus: items.map((i) => i.sku),
        items,
      }),
      detail,
    );
  }
  return stockAfter;
}

/**
 * A paid session that cannot become an order: marked `releasing` (with the shopper's email
 * and the checkout's answer) in one transaction, then voided or refunded at the provider.
 * A crash or provider outage in between leaves `releasing`, which the reconciler finishes.
 */
async function release(ctx: AppContext, provider: PaymentProvider, paymentId: string, paid: ProviderPayment, why: CannotPlace): Promise<Settlement> {
  const marked = await ctx.db.transaction(async (tx) => {
    const [payment] = await tx.select().from(payments).where(eq(payments.id, paymentId)).for('update');
    if (!payment || payment.orderId || CLOSED.includes(payment.status)) return payment;
    const snap = payment.checkout as unknown as CheckoutSnapshot;
    const [updated] = await tx
      .update(payments)
      .set({
        status: 'releasing',
        providerTransactionId: paid.transactionId ?? payment.providerTransactionId,
        amountCaptured: paid.amountCaptured,
        cardBrand: paid.card?.brand ?? null,
        cardLast4: paid.card?.last4 ?? null,
        message: why.error.message.slice(0, 500),
        updatedAt: sql`now()`,
      })
      .where(eq(payments.id, paymentId))
      .returning();
    await enqueueEmail(tx, {
      template: 'payment_released',
      to: snap.email,
      payload: {
        amount: payment.amount,
        currency: payment.currency,
        brand: paid.card?.brand ?? 'card',
        last4: paid.card?.last4 ?? '',
        reason: why.reason,
        detail: why.detail,
        refunded: paid.status === 'captured',
        cartUrl: `${ctx.config.publicUrl}/cart`,
      },
    });
    if (payment.idempotencyKey) {
      await rememberAnswer(tx, payment.idempotencyKey, { error: { code: why.error.code, message: why.error.message, details: why.error.details } });
    }
    return updated;
  });
  if (marked?.status === 'releasing') await finishRelease(ctx, provider, marked);
  else if (marked) return (await settledAlready(ctx, marked)) ?? { outcome: 'released', error: why.error };
  ctx.log.warn({ paymentId, reason: why.reason }, 'payment released: no order could be made from it');
  return { outcome: 'released', error: why.error };
}
