// Storefront checkout: the one-page checkout form, its totals refresh, the return from the
// payment page, and the order confirmation. The form maps its fields onto the API's
// checkout input and opens the payment session with startCheckout (a hidden idempotency
// key rendered into each copy of the form), then sends the shopper to the provider's
// page — or, with JavaScript and Stripe, hands the session to the Payment Element. The
// card is entered there, never here.
import { z } from 'zod';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { latestOrderDetails } from '../../domain/customers/customer-orders.ts';
import { captureCheckoutEmail } from '../../domain/recovery/cart-recovery.ts';
import { signedInContacts } from './customer-session.ts';
import type { CartView } from '../../domain/cart/cart-service.ts';
import { parseCheckoutInput, type CheckoutInput } from '../../domain/checkout/checkout-input.ts';
import { startCheckout } from '../../domain/checkout/checkout-service.ts';
import { codeRefused } from '../../domain/discounts/discount-service.ts';
import { settlePayment, type Settlement } from '../../domain/checkout/place-order.ts';
import type { CheckoutSnapshot } from '../../domain/checkout/checkout-snapshot.ts';
import { payments } from '../../db/schema.ts';
import { and, desc, eq } from 'drizzle-orm';
import { loadOrderReceipt } from '../../domain/checkout/order-receipt.ts';
import { US_STATES, isUsState } from '../../domain/checkout/us-states.ts';
import { DomainError, type FieldErrors } from '../../domain/shared/errors.ts';
import { randomToken } from '../../domain/shared/ids.ts';
import { formatMoney } from '../../domain/shared/money.ts';
import { freshTrackingToken, verifyTrackingToken } from '../../domain/tracking/tracking-token.ts';
import { STATUS } from '../errors.ts';
import { sameOriginOnly } from '../same-origin.ts';
import { render } from './html.tsx';
import { sendPage } from './visitor.ts';
import { cartIdOf, flashTo, forgetCart, openCart } from './cart-pages.tsx';
import { NotFoundView } from './views/catalog-views.tsx';
import { PaymentPendingView } from './views/payment-return-views.tsx';
import { ConfirmationView } from './views/confirmation-views.tsx';
import {
  CHECKOUT_FIELDS,
  CheckoutPageView,
  CheckoutTotals,
  type CheckoutErrors,
  type CheckoutField,
  type CheckoutPageProps,
  type CheckoutValues,
} from './views/checkout-views.tsx';

/** Where each checkout-input path is shown on the form. */
const FIELD_OF: Record<string, CheckoutField> = {
  email: 'email',
  phone: 'phone',
  shippingAddress: 'name',
  'shippingAddress.name': 'name',
  'shippingAddress.line1': 'line1',
  'shippingAddress.line2': 'line2',
  'shippingAddress.city': 'city',
  'shippingAddress.state': 'state',
  'shippingAddress.country': 'state',
  'shippingAddress.postalCode': 'postalCode',
  shippingMethod: 'shippingMethod',
};

const formSchema = z.object(Object.fromEntries([...CHECKOUT_FIELDS, 'idempotencyKey', 'shownTotal', 'ui'].map((f) => [f, z.string().max(300).optional().catch(undefined)])));

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The form's fields in the API's shape, so both go through one validation. */
function toCheckoutInput(v: CheckoutValues) {
  return {
    email: v.email ?? '',
    phone: v.phone ?? '',
    shippingAddress: { name: v.name ?? '', line1: v.line1 ?? '', line2: v.line2 ?? '', city: v.city ?? '', state: v.state ?? '', postalCode: v.postalCode ?? '', country: 'US' },
    shippingMethod: v.shippingMethod ?? '',
    payment: {},
  };
}

/** The form as the shopper last filled it, from the payment session they left (cancelled, or declined). */
function valuesOf(snap: CheckoutSnapshot): CheckoutValues {
  const a = snap.shippingAddress;
  return { email: snap.email, phone: snap.phone, name: a.name, line1: a.line1, line2: a.line2 ?? '', city: a.city, state: a.state, postalCode: a.postalCode, shippingMethod: snap.shippingMethod };
}

/** A signed-in customer's newest order fills the form in (they can change anything); a guest starts empty. */
async function signedInDefaults(ctx: AppContext, req: FastifyRequest): Promise<CheckoutValues> {
  const contacts = await signedInContacts(ctx, req);
  const latest = contacts && (await latestOrderDetails(ctx, contacts));
  return latest ? valuesOf({ ...latest, shippingMethod: 'standard' } as CheckoutSnapshot) : { shippingMethod: 'standard' };
}

function formErrors(fields: FieldErrors): CheckoutErrors {
  const errors: CheckoutErrors = {};
  for (const [path, message] of Object.entries(fields)) {
    const field = FIELD_OF[path];
    if (field) errors[field] ??= message;
  }
  return errors;
}

/** What the shopper is told when the attempt as a whole did not work. */
function alertFor(err: DomainError): CheckoutPageProps['alert'] {
  switch (err.code) {
    case 'payment_declined':
    case 'payment_failed':
      return { title: 'Your payment did not go through', text: `${err.message} No order was placed and nothing was charged. Try again, or use another card.` };
    case 'out_of_stock':
      return { title: 'Some items are no longer available', text: err.message };
    case 'conflict':
      return { title: 'Please review your order', text: err.message };
    default:
      return { title: 'Your order was not placed', text: 'Something in the form did not come through. Please check your details and place the order again.' };
  }
}

export async function checkoutPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const toCart = (reply: FastifyReply) => reply.header('cache-control', 'no-store').redirect('/cart', 303);

  const provider = ctx.payments.get(ctx.payments.defaultName);
  const payWith = { testMode: provider.name === 'sandbox', embedded: provider.browser };

  function page(req: FastifyRequest, reply: FastifyReply, props: Omit<CheckoutPageProps, 'settings' | 'formKey' | 'payWith'>, status = 200) {
    const main = render(
      <CheckoutPageView
        {...props}
        settings={ctx.settings()}
        // A fresh key for every rendering: a corrected form is a new attempt, a double submit of this one is not.
        formKey={randomToken(18)}
        payWith={payWith}
      />,
    );
    return sendPage(ctx, req, reply, { title: 'Checkout', main, noindex: true }, status);
  }

  /** The cart, unless it cannot be checked out; then the shopper is sent back to it with the reason. */
  async function checkoutableCart(req: FastifyRequest, reply: FastifyReply, choice: Parameters<typeof openCart>[2]): Promise<CartView | undefined> {
    const view = await openCart(ctx, req, choice);
    if (!view || view.lines.length === 0) return undefined;
    if (view.lines.some((l) => l.quantity > l.available)) {
      flashTo(req, reply, { kind: 'error', text: 'Some items in your cart are short of stock. Lower their quantity or remove them, then check out.' });
      return undefined;
    }
    return view;
  }

  /** The latest payment session of this cart: what the shopper typed last time, and how it ended. */
  async function lastSession(cartId: string, paymentId?: string) {
    const [p] = await ctx.db
      .select()
      .from(payments)
      .where(paymentId && UUID.test(paymentId) ? and(eq(payments.cartId, cartId), eq(payments.id, paymentId)) : eq(payments.cartId, cartId))
      .orderBy(desc(payments.createdAt))
      .limit(1);
    return p;
  }

  app.get<{ Querystring: { payment?: string } }>('/checkout', { schema: { hide: true } }, async (req, reply) => {
    const view = await checkoutableCart(req, reply, {});
    if (!view) return toCart(reply);
    const last = await lastSession(view.id, req.query.payment);
    const values: CheckoutValues = last?.checkout ? valuesOf(last.checkout as unknown as CheckoutSnapshot) : await signedInDefaults(ctx, req);
    // Back from the payment page without paying (its "cancel" link, or a declined card there).
    const alert =
      req.query.payment && last && !last.orderId
        ? { title: 'Your payment was not completed', text: `${last.message ? `${last.message} ` : ''}Nothing was charged. Check your details and place the order again when you are ready.` }
        : undefined;
    const choice = { shippingMethod: values.shippingMethod === 'express' ? ('express' as const) : ('standard' as const), state: values.state && isUsState(values.state) ? values.state : undefined };
    const priced = values.state ? ((await checkoutableCart(req, reply, choice)) ?? view) : view;
    return page(req, reply, { view: priced, values, errors: {}, alert });
  });

  app.post('/checkout', { preHandler: sameOriginOnly, schema: { hide: true } }, async (req, reply) => {
    const form = formSchema.parse(req.body ?? {}) as CheckoutValues & { idempotencyKey?: string; shownTotal?: string; ui?: string };
    const values: CheckoutValues = Object.fromEntries(CHECKOUT_FIELDS.map((f) => [f, form[f]]));
    const state = form.state?.toUpperCase();
    const choice = { shippingMethod: form.shippingMethod === 'express' ? ('express' as const) : ('standard' as const), state: state && isUsState(state) ? state : undefined };
    // The Payment Element's script asks for the session as JSON; a plain form post is redirected.
    const wantsJson = form.ui === 'embedded' && String(req.headers.accept ?? '').includes('application/json');
    // With the email, so an automatic promotion this customer already used is left out of the total shown.
    const view = await openCart(ctx, req, choice, true, values.email?.trim());
    if (!view || view.lines.length === 0) return toCart(reply);
    // A repeat of a submission that already opened a session (or placed the order) gets startCheckout's stored answer.
    const repeat = view.orderId !== null;
    // Kept for one reminder if the shopper leaves without paying (the form says so by the field).
    if (!repeat && values.email) await captureCheckoutEmail(ctx, view.id, values.email);

    let input: CheckoutInput;
    try {
      input = parseCheckoutInput(toCheckoutInput(form));
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'validation_failed') throw err;
      const errors = formErrors((err.details as { fields: FieldErrors }).fields);
      if (wantsJson) return reply.code(422).send({ error: { code: 'validation_failed', message: 'Some fields need attention.', details: { fields: errors } } });
      return page(req, reply, { view, values, errors }, 422);
    }

    // The cart's code, refused now that the email is known (used with it already): say that, not "your total changed".
    if (!repeat && view.discountProblem) {
      const refused = codeRefused(view.discountProblem);
      if (wantsJson) return reply.code(422).send({ error: { code: refused.code, message: refused.message, details: refused.details } });
      return page(req, reply, { view, values, errors: {}, alert: { title: 'Your discount code cannot be used', text: refused.message } }, 422);
    }

    // The shopper pays the total they saw. Without JavaScript the summary could not follow a
    // change of state or shipping method, so show the new total before sending them to pay.
    if (!repeat && form.shownTotal !== String(view.totals.total)) {
      const where = choice.state ? ` to ${US_STATES[choice.state]}` : '';
      const text = `With ${ctx.settings().shipping.methods[choice.shippingMethod].label.toLowerCase()} shipping${where}, your total is ${formatMoney(view.totals.total, view.currency)}. Nothing has been charged yet: place the order again to pay this amount.`;
      if (wantsJson) return reply.code(409).send({ error: { code: 'conflict', message: text } });
      return page(req, reply, { view, values, errors: {}, alert: { title: 'Check your updated total', text } }, 409);
    }

    try {
      const started = await startCheckout(ctx, { cartId: view.id, input, idempotencyKey: form.idempotencyKey ?? '', ui: wantsJson ? 'embedded' : 'hosted' });
      if ('order' in started) return toConfirmation(req, reply, started.order.number);
      const { session } = started;
      if (wantsJson) {
        return reply.header('cache-control', 'no-store').send({ clientSecret: session.clientSecret, returnUrl: `${ctx.config.publicUrl}/checkout/return?payment=${session.paymentId}` });
      }
      if (!session.redirectUrl) throw new Error(`Payment session ${session.paymentId} has no page to pay on`);
      return reply.header('cache-control', 'no-store').redirect(session.redirectUrl, 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      if (err.code === 'not_found') return toCart(reply);
      if (wantsJson) return reply.code(STATUS[err.code]).send({ error: { code: err.code, message: err.message } });
      // Prices or stock may have moved: show the cart as it is now.
      const now = (await openCart(ctx, req, choice)) ?? view;
      if (err.code === 'validation_failed') {
        const fields = (err.details as { fields: FieldErrors }).fields;
        // The cart's code, refused now that the email is known: the cart is where it is removed.
        const alert = fields.discountCode ? { title: 'Your discount code cannot be used', text: err.message } : undefined;
        return page(req, reply, { view: now, values, errors: formErrors(fields), alert }, 422);
      }
      return page(req, reply, { view: now, values, errors: {}, alert: alertFor(err) }, STATUS[err.code]);
    }
  });

  /** The order is placed: the shopper's cart is done, and the confirmation opens by a signed link. */
  function toConfirmation(req: FastifyRequest, reply: FastifyReply, number: string) {
    forgetCart(req, reply);
    const token = freshTrackingToken(ctx, number);
    return reply.header('cache-control', 'no-store').redirect(`/orders/${encodeURIComponent(number)}/confirmation?t=${encodeURIComponent(token)}`, 303);
  }

  // Back from the payment page (the provider's redirect). Nothing in the query string is
  // believed: the provider is asked what happened, and the order is placed if it was paid.
  app.get<{ Querystring: { payment?: string } }>('/checkout/return', { schema: { hide: true } }, async (req, reply) => {
    const paymentId = String(req.query.payment ?? '');
    const [payment] = UUID.test(paymentId) ? await ctx.db.select().from(payments).where(eq(payments.id, paymentId)) : [];
    // Only the shopper whose cart it is gets the order's details; anyone else learns nothing.
    const cartId = cartIdOf(req);
    if (!payment || !cartId || payment.cartId !== cartId) {
      return sendPage(ctx, req, reply, { title: 'Payment not found', main: render(<NotFoundView what="payment" />), noindex: true }, 404);
    }
    let settled: Settlement;
    try {
      settled = await settlePayment(ctx, payment);
    } catch (err) {
      // The provider did not answer: its webhook (or the reconciler) settles the payment; the page keeps asking.
      req.log.warn({ err, paymentId }, 'settling a payment on return failed');
      settled = { outcome: 'pending' };
    }
    switch (settled.outcome) {
      case 'placed':
        return toConfirmation(req, reply, settled.order.number);
      case 'declined':
        return reply.header('cache-control', 'no-store').redirect(`/checkout?payment=${payment.id}`, 303);
      case 'released':
        flashTo(req, reply, { kind: 'error', text: settled.error.message });
        return toCart(reply);
      case 'pending': {
        const [fresh] = await ctx.db.select().from(payments).where(eq(payments.id, payment.id));
        const main = render(<PaymentPendingView retryUrl={fresh?.redirectUrl ?? undefined} problem={settled.message} checkoutUrl={`/checkout?payment=${payment.id}`} />);
        // Asks again in a few seconds: the provider's confirmation usually arrives meanwhile (not when an attempt failed: the shopper decides).
        if (!settled.message) reply.header('refresh', `3; url=/checkout/return?payment=${payment.id}`);
        return sendPage(ctx, req, reply, { title: 'Confirming your payment', main, noindex: true }, 202);
      }
    }
  });

  // Progressive enhancement: the page's script swaps in new totals when state or method change.
  app.get('/checkout/summary', { schema: { hide: true } }, async (req, reply) => {
    const q = z
      .object({ state: z.string().max(2).optional().catch(undefined), shippingMethod: z.enum(['standard', 'express']).catch('standard').default('standard') })
      .parse(req.query ?? {});
    const state = q.state?.toUpperCase();
    const choice = { shippingMethod: q.shippingMethod, state: state && isUsState(state) ? state : undefined };
    const view = await openCart(ctx, req, choice);
    if (!view) return reply.code(404).header('cache-control', 'no-store').type('text/html; charset=utf-8').send('');
    const html = render(<CheckoutTotals totals={view.totals} settings={ctx.settings()} currency={view.currency} shippingMethod={choice.shippingMethod} state={choice.state} discountLabel={view.discount?.label} />);
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
  });

  app.get<{ Params: { number: string }; Querystring: { t?: string } }>('/orders/:number/confirmation', { schema: { hide: true } }, async (req, reply) => {
    // Only a signed link opens an order page: order numbers must not be enumerable.
    const number = verifyTrackingToken(ctx.secret, String(req.query.t ?? ''), ctx.clock.now());
    const receipt = number && number === req.params.number ? await loadOrderReceipt(ctx, ctx.db, number) : undefined;
    if (!receipt) {
      return sendPage(ctx, req, reply, { title: 'Order not found', main: render(<NotFoundView what="order" />), noindex: true }, 404);
    }
    const main = render(<ConfirmationView r={receipt} settings={ctx.settings()} trackHref={`/track?t=${encodeURIComponent(String(req.query.t))}`} />);
    return sendPage(ctx, req, reply, { title: `Order ${receipt.number} confirmed`, main, noindex: true });
  });
}
