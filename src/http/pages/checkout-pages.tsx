// Storefront checkout: the one-page checkout form, its totals refresh, and the order
// confirmation page. The form maps its fields onto the API's checkout input and calls the
// same placeOrder, with a hidden idempotency key rendered into each copy of the form.
import { z } from 'zod';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { CartView } from '../../domain/cart/cart-service.ts';
import { parseCheckoutInput, type CheckoutInput } from '../../domain/checkout/checkout-input.ts';
import { placeOrder } from '../../domain/checkout/checkout-service.ts';
import { loadOrderReceipt } from '../../domain/checkout/order-receipt.ts';
import { US_STATES, isUsState } from '../../domain/checkout/us-states.ts';
import { DomainError, type FieldErrors } from '../../domain/shared/errors.ts';
import { randomToken } from '../../domain/shared/ids.ts';
import { formatMoney } from '../../domain/shared/money.ts';
import { signTrackingToken, TRACKING_TOKEN_TTL_MS, verifyTrackingToken } from '../../domain/tracking/tracking-token.ts';
import { STATUS } from '../errors.ts';
import { sameOriginOnly } from '../same-origin.ts';
import { render } from './html.tsx';
import { sendPage } from './visitor.ts';
import { flashTo, forgetCart, openCart } from './cart-pages.tsx';
import { NotFoundView } from './views/catalog-views.tsx';
import {
  CHECKOUT_FIELDS,
  CheckoutPageView,
  CheckoutTotals,
  ConfirmationView,
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
  payment: 'cardNumber',
  'payment.provider': 'cardNumber',
  'payment.cardNumber': 'cardNumber',
  'payment.expMonth': 'expiry',
  'payment.expYear': 'expiry',
  'payment.cvc': 'cvc',
};

const formSchema = z.object(Object.fromEntries([...CHECKOUT_FIELDS, 'idempotencyKey', 'shownTotal'].map((f) => [f, z.string().max(300).optional().catch(undefined)])));

/** MM/YY (or MM/YYYY, or MMYY) into month and year; undefined when it is none of these. */
function parseExpiry(expiry: string): { month: number; year: number } | undefined {
  const m = /^\s*(\d{1,2})\s*[/-]\s*(\d{2}|\d{4})\s*$/.exec(expiry) ?? /^\s*(\d{2})(\d{2})\s*$/.exec(expiry);
  return m ? { month: Number(m[1]), year: Number(m[2]) } : undefined;
}

/** The form's fields in the API's shape, so both go through one validation. */
function toCheckoutInput(v: CheckoutValues) {
  const expiry = parseExpiry(v.expiry ?? '');
  return {
    email: v.email ?? '',
    phone: v.phone ?? '',
    shippingAddress: { name: v.name ?? '', line1: v.line1 ?? '', line2: v.line2 ?? '', city: v.city ?? '', state: v.state ?? '', postalCode: v.postalCode ?? '', country: 'US' },
    shippingMethod: v.shippingMethod ?? '',
    payment: { provider: 'sandbox', cardNumber: v.cardNumber ?? '', expMonth: expiry?.month ?? Number.NaN, expYear: expiry?.year ?? Number.NaN, cvc: v.cvc ?? '' },
  };
}

function formErrors(fields: FieldErrors, values: CheckoutValues): CheckoutErrors {
  const errors: CheckoutErrors = {};
  for (const [path, message] of Object.entries(fields)) {
    const field = FIELD_OF[path];
    if (field) errors[field] ??= message;
  }
  if (errors.expiry && !parseExpiry(values.expiry ?? '')) errors.expiry = values.expiry?.trim() ? 'Enter the expiry date as MM/YY' : 'Enter the expiry date';
  return errors;
}

/** What the shopper is told when the attempt as a whole did not work. */
function alertFor(err: DomainError): CheckoutPageProps['alert'] {
  switch (err.code) {
    case 'payment_declined':
    case 'payment_failed':
      return { title: 'Your payment did not go through', text: `${err.message} No order was placed and nothing was charged. Check the card details or use another card.` };
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

  function page(req: FastifyRequest, reply: FastifyReply, props: Omit<CheckoutPageProps, 'settings' | 'formKey' | 'testMode'>, status = 200) {
    const main = render(
      <CheckoutPageView
        {...props}
        settings={ctx.settings()}
        // A fresh key for every rendering: a corrected form is a new attempt, a double submit of this one is not.
        formKey={randomToken(18)}
        testMode={ctx.payments.names().includes('sandbox')}
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

  app.get('/checkout', { schema: { hide: true } }, async (req, reply) => {
    const view = await checkoutableCart(req, reply, {});
    if (!view) return toCart(reply);
    return page(req, reply, { view, values: { shippingMethod: 'standard' }, errors: {} });
  });

  app.post('/checkout', { preHandler: sameOriginOnly, schema: { hide: true } }, async (req, reply) => {
    const form = formSchema.parse(req.body ?? {}) as CheckoutValues & { idempotencyKey?: string; shownTotal?: string };
    const values: CheckoutValues = Object.fromEntries(CHECKOUT_FIELDS.filter((f) => f !== 'cvc').map((f) => [f, form[f]]));
    const state = form.state?.toUpperCase();
    const choice = { shippingMethod: form.shippingMethod === 'express' ? ('express' as const) : ('standard' as const), state: state && isUsState(state) ? state : undefined };
    const view = await openCart(ctx, req, choice, true);
    if (!view || view.lines.length === 0) return toCart(reply);
    // A repeat of a submission that already placed the order goes straight to placeOrder's stored answer.
    const repeat = view.orderId !== null;

    let input: CheckoutInput;
    try {
      input = parseCheckoutInput(ctx.clock, toCheckoutInput(form));
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'validation_failed') throw err;
      const errors = formErrors((err.details as { fields: FieldErrors }).fields, form);
      return page(req, reply, { view, values, errors }, 422);
    }

    // The shopper pays the total they saw. Without JavaScript the summary could not follow a
    // change of state or shipping method, so show the new total before charging it.
    if (!repeat && form.shownTotal !== String(view.totals.total)) {
      const where = choice.state ? ` to ${US_STATES[choice.state]}` : '';
      return page(
        req,
        reply,
        {
          view,
          values,
          errors: {},
          alert: {
            title: 'Check your updated total',
            text: `With ${ctx.settings().shipping.methods[choice.shippingMethod].label.toLowerCase()} shipping${where}, your total is ${formatMoney(view.totals.total, view.currency)}. Nothing has been charged yet: enter the CVC again and place the order to pay this amount.`,
          },
        },
        409,
      );
    }

    try {
      const order = await placeOrder(ctx, { cartId: view.id, input, idempotencyKey: form.idempotencyKey ?? '', payments: ctx.payments });
      forgetCart(req, reply);
      const token = signTrackingToken(ctx.secret, order.number, new Date(ctx.clock.now().getTime() + TRACKING_TOKEN_TTL_MS));
      return reply.header('cache-control', 'no-store').redirect(`/orders/${encodeURIComponent(order.number)}/confirmation?t=${encodeURIComponent(token)}`, 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      if (err.code === 'not_found') return toCart(reply);
      // Prices or stock may have moved: show the cart as it is now.
      const now = (await openCart(ctx, req, choice)) ?? view;
      if (err.code === 'validation_failed') {
        return page(req, reply, { view: now, values, errors: formErrors((err.details as { fields: FieldErrors }).fields, form) }, 422);
      }
      return page(req, reply, { view: now, values, errors: {}, alert: alertFor(err) }, STATUS[err.code]);
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
    const html = render(<CheckoutTotals totals={view.totals} settings={ctx.settings()} currency={view.currency} shippingMethod={choice.shippingMethod} state={choice.state} />);
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
