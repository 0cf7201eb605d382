// The Stripe fake's API endpoints (https://docs.stripe.com/api): each reads its parameters
// the way Stripe does and calls one verb of the payments or Checkout model. Authentication,
// idempotency and simulated outages are the server's (stripe-fake.ts).
import type { FakeCheckout } from './stripe-checkout.ts';
import type { PaymentIntent, StripeObject } from './stripe-objects.ts';
import { checkMinimumAmount, type Ctx, type FakePayments } from './stripe-payments.ts';
import { KNOWN_PARAMS, onlyKnown, paramError, reader, StripeApiError, type Params } from './stripe-params.ts';
import type { WebhookOutbox } from './stripe-webhooks.ts';

export type FailRoute = 'refunds' | 'capture' | 'cancel' | 'retrieve' | 'create' | 'confirm';
/** The request's context; `publishable`: made with the publishable key (Stripe.js). */
export type ApiCtx = Ctx & { publishable: boolean };
export type Route = {
  method: 'GET' | 'POST';
  path: RegExp;
  /** Which failNext() group it belongs to. */
  fail?: FailRoute;
  /** Stripe.js may call it with the publishable key. */
  publishable?: boolean;
  run(id: string, params: Params, ctx: ApiCtx): Promise<object> | object;
};

export function apiRoutes({ payments, checkout, outbox, captureDelayMs }: { payments: FakePayments; checkout: FakeCheckout; outbox: WebhookOutbox; captureDelayMs?: number }): Route[] {
const expandOf = (params: Params) => reader(params).strings('expand');
const render = (o: StripeObject, params: Params) => payments.render(o, expandOf(params));
/** A publishable key may read or confirm an intent only with its client secret, as Stripe.js does. */
const intentFor = (id: string, params: Params, ctx: ApiCtx): PaymentIntent => {
  const pi = payments.intent(id);
  if (ctx.publishable && reader(params).str('client_secret') !== pi.client_secret) {
    throw paramError('The client_secret provided does not match the client_secret associated with the PaymentIntent.', 'client_secret');
  }
  return pi;
};
const retrieve = (object: string, kind: string, path: RegExp): Route => ({
  method: 'GET',
  path,
  fail: 'retrieve',
  run: (id, params) => (onlyKnown(params, KNOWN_PARAMS.expand), render(payments.get(id, object, kind), params)),
});

return [
  {
    method: 'POST',
    path: /^\/v1\/payment_intents$/,
    fail: 'create',
    run: (_, params, ctx) => {
      onlyKnown(params, KNOWN_PARAMS.paymentIntentCreate);
      const r = reader(params);
      const amount = r.requiredInt('amount');
      if (amount < 1) throw paramError('This value must be greater than or equal to 1.', 'amount', 'parameter_invalid_integer');
      const currency = r.required('currency').toLowerCase();
      if (!/^[a-z]{3}$/.test(currency)) throw paramError(`Invalid currency: ${currency}.`, 'currency');
      const apm = reader(r.object('automatic_payment_methods'), 'automatic_payment_methods');
      const types = [...r.strings('payment_method_types'), ...r.strings('allowed_payment_method_types')];
      const fields = {
        amount,
        currency,
        capture_method: r.oneOf('capture_method', ['automatic', 'automatic_async', 'manual'] as const) ?? 'automatic_async',
        description: r.str('description'),
        metadata: r.metadata(),
        receipt_email: r.str('receipt_email'),
        // Without a list of types, Stripe turns on the Dashboard's payment methods.
        automatic_payment_methods: types.length ? null : { enabled: apm.bool('enabled') ?? true, allow_redirects: apm.oneOf('allow_redirects', ['always', 'never'] as const) ?? 'always' },
        payment_method_types: types.length ? types : ['card'],
      };
      const confirm = r.bool('confirm') ?? false;
      const paymentMethod = r.str('payment_method');
      const returnUrl = r.url('return_url');
      checkMinimumAmount(fields.amount, fields.currency, 'amount');
      const pi = payments.createIntent(fields, ctx);
      if (paymentMethod && !confirm) {
        pi.payment_method = payments.resolvePaymentMethod(paymentMethod);
        pi.status = 'requires_confirmation';
      }
      if (confirm) payments.confirm(pi, { paymentMethod, returnUrl, errorOnRequiresAction: r.bool('error_on_requires_action') }, ctx);
      return render(pi, params);
    },
  },
  { method: 'GET', path: /^\/v1\/payment_intents\/([^/]+)$/, fail: 'retrieve', publishable: true, run: (id, params, ctx) => (onlyKnown(params, KNOWN_PARAMS.retrieve), render(intentFor(id, params, ctx), params)) },
  {
    method: 'POST',
    path: /^\/v1\/payment_intents\/([^/]+)\/confirm$/,
    fail: 'confirm',
    publishable: true,
    run: (id, params, ctx) => {
      onlyKnown(params, KNOWN_PARAMS.paymentIntentConfirm);
      const r = reader(params);
      const pi = intentFor(id, params, ctx);
      const confirmation = { paymentMethod: r.str('payment_method'), returnUrl: r.url('return_url'), browser: ctx.publishable, errorOnRequiresAction: r.bool('error_on_requires_action') };
      return render(payments.confirm(pi, confirmation, ctx), params);
    },
  },
  {
    method: 'POST',
    path: /^\/v1\/payment_intents\/([^/]+)\/capture$/,
    fail: 'capture',
    run: async (id, params, ctx) => {
      onlyKnown(params, KNOWN_PARAMS.paymentIntentCapture);
      const pi = payments.intent(id);
      if (captureDelayMs) await new Promise((r) => setTimeout(r, captureDelayMs));
      return render(payments.capture(pi, params, ctx), params);
    },
  },
  {
    method: 'POST',
    path: /^\/v1\/payment_intents\/([^/]+)\/cancel$/,
    fail: 'cancel',
    run: (id, params, ctx) => {
      onlyKnown(params, KNOWN_PARAMS.paymentIntentCancel);
      const reason = reader(params).oneOf('cancellation_reason', ['abandoned', 'duplicate', 'fraudulent', 'requested_by_customer'] as const);
      return render(payments.cancel(payments.intent(id), reason, ctx), params);
    },
  },
  { method: 'POST', path: /^\/v1\/refunds$/, fail: 'refunds', run: (_, params, ctx) => (onlyKnown(params, KNOWN_PARAMS.refundCreate), render(payments.createRefund(params, ctx), params)) },
  retrieve('refund', 'refund', /^\/v1\/refunds\/([^/]+)$/),
  retrieve('charge', 'charge', /^\/v1\/charges\/([^/]+)$/),
  retrieve('dispute', 'dispute', /^\/v1\/disputes\/([^/]+)$/),
  retrieve('payment_method', 'PaymentMethod', /^\/v1\/payment_methods\/([^/]+)$/),
  { method: 'POST', path: /^\/v1\/payment_methods$/, publishable: true, run: (_, params) => (onlyKnown(params, KNOWN_PARAMS.paymentMethodCreate), payments.createCardPaymentMethod(params)) },
  {
    method: 'GET',
    path: /^\/v1\/events\/([^/]+)$/,
    fail: 'retrieve',
    run: (id) => {
      const event = outbox.events.find((e) => e.id === id);
      if (!event) throw new StripeApiError(404, { type: 'invalid_request_error', code: 'resource_missing', message: `No such event: '${id}'` });
      return event;
    },
  },
  { method: 'POST', path: /^\/v1\/checkout\/sessions$/, fail: 'create', run: (_, params) => render(checkout.create(params), params) },
  { method: 'GET', path: /^\/v1\/checkout\/sessions\/([^/]+)$/, fail: 'retrieve', run: (id, params) => (onlyKnown(params, KNOWN_PARAMS.expand), render(checkout.session(id), params)) },
  {
    method: 'GET',
    path: /^\/v1\/checkout\/sessions\/([^/]+)\/line_items$/,
    fail: 'retrieve',
    run: (id) => checkout.lineItemList(checkout.session(id).id),
  },
  {
    method: 'POST',
    path: /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/,
    fail: 'cancel',
    run: (id, params, ctx) => (onlyKnown(params, KNOWN_PARAMS.expand), render(checkout.expire(checkout.session(id), ctx), params)),
  },
];
}
