// Starting a checkout: the cart, the shopper's contact and address become a payment
// session at the provider, for a total the server computed. No card ever reaches us.
//
//   1. Idempotency (checkout-answers.ts): a repeat of the same attempt gets the same session
//      (or, once paid, the same order): one payment per attempt, however often "Pay" is pressed.
//   2. A payments row ('pending') holding the order-to-be (checkout-snapshot.ts) is written
//      before the provider hears of it, so no session can exist that the store has no record of.
//   3. The provider opens the session: the shopper is sent to its page (or its embedded
//      field), or, for an API client with a payment-method token, it is confirmed at once.
//   4. The order is made by place-order.ts once the provider says the payment succeeded —
//      from the shopper's return, the webhook or the reconciler, whichever comes first.
import { eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { payments } from '../../db/schema.ts';
import { prepared } from '../../db/prepared.ts';
import { DomainError, notFound } from '../shared/errors.ts';
import { chooseDiscount, codeRefused } from '../discounts/discount-service.ts';
import { sha256 } from '../shared/ids.ts';
import type { CreateSessionInput, PaymentProvider, ProviderPayment } from '../payments/provider.ts';
import { cartHeader, loadCartLines, type CartLine } from '../cart/cart-service.ts';
import type { CheckoutInput } from './checkout-input.ts';
import { lineName, snapshotOf } from './checkout-snapshot.ts';
import { claimKey, rememberAnswer, releaseClaim, replayed, type PaymentSessionAnswer } from './checkout-answers.ts';
import { settlePayment, type Payment } from './place-order.ts';
import type { OrderReceipt } from './order-receipt.ts';
import { quoteTotals } from './totals.ts';

export type StartCheckoutArgs = {
  cartId: string;
  input: CheckoutInput;
  idempotencyKey: string;
  /** How the shopper pays when no token is given: the provider's page, or its field embedded in ours. */
  ui?: 'hosted' | 'embedded';
  /** Where the provider sends the payer back (`{payment}` is replaced by the payment id); default the checkout's own return. */
  returnPath?: { success: string; cancel: string };
};

/** Either the order (a token was confirmed at once) or where the shopper goes to pay. */
export type CheckoutStart = { order: OrderReceipt } | { session: PaymentSessionAnswer };

/** Opens (or, for a repeat, finds again) the payment session for cart `cartId`. */
export async function startCheckout(ctx: AppContext, { cartId, input, idempotencyKey, ui = 'hosted', returnPath }: StartCheckoutArgs): Promise<CheckoutStart> {
  if (!/^[\x21-\x7e]{1,255}$/.test(idempotencyKey)) {
    throw new DomainError('bad_request', 'The Idempotency-Key must be 1 to 255 visible ASCII characters, e.g. a UUID.');
  }
  const provider = ctx.payments.get(input.payment.provider ?? ctx.payments.defaultName);
  const [cart] = await cartHeader(ctx.db).execute({ id: cartId });
  if (!cart) throw notFound('Cart');

  const key = `checkout:${cartId}:${idempotencyKey}`;
  const earlier = await claimKey(ctx, key, sha256(JSON.stringify({ ...input, payment: { ...input.payment, provider: provider.name }, ui })));
  if (earlier) return replayed(earlier);
  try {
    // A cart already ordered answers after the key claim, so a repeated request gets the first answer.
    if (cart.orderId) throw alreadyOrdered();
    const started = await open(ctx, provider, key, { id: cartId, discountCode: cart.discountCode }, input, ui, returnPath);
    if ('session' in started) await rememberAnswer(ctx.db, key, started);
    return started;
  } catch (err) {
    if (err instanceof DomainError) await rememberAnswer(ctx.db, key, { error: { code: err.code, message: err.message, details: err.details } });
    else await releaseClaim(ctx.db, key);
    throw err;
  }
}

async function open(
  ctx: AppContext,
  provider: PaymentProvider,
  key: string,
  { id: cartId, discountCode }: { id: string; discountCode: string | null },
  input: CheckoutInput,
  ui: 'hosted' | 'embedded',
  returnPath?: StartCheckoutArgs['returnPath'],
): Promise<CheckoutStart> {
  const settings = ctx.settings();
  // Whether the cart became an order meanwhile is settled under the cart's row lock when the order is made.
  const lines = await loadCartLines(ctx.db, cartId, { images: false });
  const choice = { shippingMethod: input.shippingMethod, state: input.shippingAddress.state };
  // The discount is chosen now that the email is known (per-customer caps); its redemption is taken when the order is made.
  const chosen = await chooseDiscount(ctx.db, settings, lines, choice, discountCode, { now: ctx.clock.now(), email: input.email });
  if (chosen.codeProblem && lines.length) throw codeRefused(chosen.codeProblem);
  const cart = { lines, totals: await quoteTotals(ctx.tax, settings, lines, { ...choice, ...(chosen.applied ? { discount: chosen.applied } : {}) }) };
  if (cart.lines.length === 0) throw new DomainError('conflict', 'The cart is empty: add products before checking out.');
  // Refuse before the shopper pays when a shortage is already visible; the order
  // transaction still decides, since stock may run out while they pay.
  const short = cart.lines.filter((l) => l.quantity > l.available);
  if (short.length) throw outOfStock(short);

  const snapshot = snapshotOf(input, cart.lines, cart.totals, chosen.applied);
  const captureMethod = settings.payments.capture === 'handover' ? 'manual' : 'automatic';
  const [payment] = await ctx.db
    .insert(payments)
    .values({
      provider: provider.name,
      amount: snapshot.totals.total,
      currency: settings.currency,
      status: 'pending',
      captureMethod,
      cartId,
      checkout: snapshot,
      idempotencyKey: key,
    })
    .returning();
  const paymentId = payment!.id;
  const token = input.payment.paymentMethod;
  const back = returnPath ?? { success: '/checkout/return?payment={payment}', cancel: '/checkout?payment={payment}' };
  const returnUrl = `${ctx.config.publicUrl}${back.success.replace('{payment}', paymentId)}`;
  const session: CreateSessionInput = {
    reference: paymentId,
    amount: snapshot.totals.total,
    currency: settings.currency,
    captureMethod,
    idempotencyKey: `${key}:${paymentId}:session`,
    description: `${settings.storeName} order`,
    email: input.email,
    lines: [
      // Providers refuse negative lines, so a discounted line is shown as its discounted amount (exact, unlike a per-unit price).
      ...snapshot.lines.map((l) =>
        l.discount ? { name: `${lineName(l)} × ${l.quantity}, ${snapshot.discount?.label ?? 'discount'}`, quantity: 1, unitAmount: l.lineTotal - l.discount } : { name: lineName(l), quantity: l.quantity, unitAmount: l.unitPrice },
      ),
      ...(snapshot.totals.shipping ? [{ name: `Shipping (${settings.shipping.methods[input.shippingMethod].label})`, quantity: 1, unitAmount: snapshot.totals.shipping }] : []),
      ...(snapshot.totals.tax ? [{ name: 'Sales tax', quantity: 1, unitAmount: snapshot.totals.tax }] : []),
    ],
    returnUrl,
    cancelUrl: `${ctx.config.publicUrl}${back.cancel.replace('{payment}', paymentId)}`,
    method: token ? { kind: 'token', token } : { kind: ui },
  };

  const opened = await provider.createSession(session).catch(async (err: unknown) => {
    const refused = err instanceof DomainError;
    if (!refused) ctx.log.error({ err, paymentId }, 'opening a payment session failed');
    await ctx.db
      .update(payments)
      .set({ status: 'failed', declineCode: refused ? null : 'processing_error', message: refused ? err.message : 'The payment provider did not answer.', updatedAt: sql`now()` })
      .where(eq(payments.id, paymentId));
    // The provider refused what we sent (an unknown payment-method token): the client's to fix.
    if (refused) throw err;
    throw new DomainError('payment_failed', 'We could not reach the payment provider, so nothing was charged. Please try again in a moment.', { declineCode: 'processing_error' });
  });
  const recorded = await recordSession(ctx, paymentId, opened);

  if (!token) {
    return { session: { paymentId, provider: provider.name, amount: opened.amount, currency: opened.currency, redirectUrl: opened.redirectUrl, clientSecret: opened.clientSecret } };
  }
  // A token is confirmed at once: the answer is the order, or why there is none.
  if (opened.status === 'open' || opened.status === 'processing') {
    // Needs the shopper (3-D Secure): an API call cannot answer the bank, so the session is closed.
    await provider.void({ sessionId: opened.sessionId, transactionId: opened.transactionId, idempotencyKey: `${key}:${paymentId}:void` }).catch(() => {});
    await ctx.db.update(payments).set({ status: 'declined', declineCode: 'authentication_required', updatedAt: sql`now()` }).where(eq(payments.id, paymentId));
    throw new DomainError('payment_declined', 'This card needs the cardholder to confirm the payment with their bank. Check out through the payment page, or use another card.', {
      declineCode: 'authentication_required',
    });
  }
  const settled = await settlePayment(ctx, recorded, opened);
  switch (settled.outcome) {
    case 'placed':
      return { order: settled.order };
    case 'declined':
      throw new DomainError('payment_declined', opened.message ?? settled.message, { declineCode: settled.declineCode });
    case 'released':
      throw settled.error;
    case 'pending':
      throw new DomainError('payment_failed', 'The payment could not be confirmed; nothing was charged. Please try again.');
  }
}

/** Stores what the provider answered when a session opened (also for the payment of an order's changes); the row as stored. */
export async function recordSession(ctx: AppContext, paymentId: string, s: ProviderPayment): Promise<Payment> {
  const [row] = await sessionRecorder(ctx.db).execute({
    id: paymentId,
    status: s.status === 'canceled' ? 'declined' : s.status === 'processing' ? 'processing' : 'open',
    sessionId: s.sessionId,
    transactionId: s.transactionId ?? null,
    redirectUrl: s.redirectUrl ?? null,
    clientSecret: s.clientSecret ?? null,
    declineCode: s.declineCode ?? null,
    message: s.message ?? null,
    cardBrand: s.card?.brand ?? null,
    cardLast4: s.card?.last4 ?? null,
  });
  return row!;
}

// Placeholders are wrapped in sql`` because Drizzle's update types accept no bare placeholder.
const sessionRecorder = prepared('record_payment_session', (conn) =>
  conn
    .update(payments)
    .set({
      status: sql`${sql.placeholder('status')}`,
      providerSessionId: sql`${sql.placeholder('sessionId')}`,
      providerTransactionId: sql`${sql.placeholder('transactionId')}`,
      redirectUrl: sql`${sql.placeholder('redirectUrl')}`,
      clientSecret: sql`${sql.placeholder('clientSecret')}`,
      declineCode: sql`${sql.placeholder('declineCode')}`,
      message: sql`${sql.placeholder('message')}`,
      cardBrand: sql`${sql.placeholder('cardBrand')}`,
      cardLast4: sql`${sql.placeholder('cardLast4')}`,
      updatedAt: sql`now()`,
    })
    .where(eq(payments.id, sql.placeholder('id')))
    .returning(),
);

// ------------------------------------------------------------------ refusals

const alreadyOrdered = () => new DomainError('conflict', 'This cart has already been turned into an order. Start a new cart to shop again.');

function outOfStock(short: CartLine[]): DomainError {
  const what = short.map((l) => `${lineName(l)}: ${l.available <= 0 ? 'sold out' : `only ${l.available} left`}`).join('; ');
  return new DomainError('out_of_stock', `Not enough stock for ${what}. Nothing was charged. Lower the quantity or remove the item to continue.`, {
    skus: short.map((l) => l.sku),
    items: short.map((l) => ({ sku: l.sku, name: lineName(l), requested: l.quantity, available: Math.max(0, l.available) })),
  });
}
