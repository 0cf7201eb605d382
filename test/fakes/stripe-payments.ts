// The Stripe fake's payments: PaymentIntents, PaymentMethods, Charges, Refunds and Disputes,
// shaped as Stripe's API objects (https://docs.stripe.com/api) and moved through the same
// states. Objects reference each other by id, as Stripe sends them; `render` expands ids on
// request (`expand[]=latest_charge`). Every change emits the event Stripe would send.
import { checkCard, DECLINES, TEST_PAYMENT_METHODS, type Decline, type TestCard } from './stripe-cards.ts';
import {
  chargeObject,
  disputeObject,
  formatAmount,
  now,
  paymentIntentObject,
  paymentMethodObject,
  refundObject,
  stripeId,
  type Charge,
  type Dispute,
  type IntentFields,
  type Meta,
  type PaymentIntent,
  type Refund,
  type StripeObject,
} from './stripe-objects.ts';
import { invalidRequest, paramError, reader, resourceMissing, StripeApiError, type Params, type StripeErrorBody } from './stripe-params.ts';

/** The API request behind a change (null for what the shopper does on a hosted page). */
export type Ctx = { requestId: string | null; idempotencyKey: string | null; after(fn: () => void): void };
export const NO_REQUEST: Ctx = { requestId: null, idempotencyKey: null, after: (fn) => fn() };
export type Emit = (type: string, object: StripeObject, ctx: Ctx) => void;

/** Stripe's minimum charge amounts for the currencies a shop here is likely to use. */
const MINIMUM_AMOUNT: Record<string, number> = { usd: 50, eur: 50, gbp: 30, chf: 50, cad: 50, aud: 50 };
export function checkMinimumAmount(amount: number, currency: string, param: string): void {
  const min = MINIMUM_AMOUNT[currency];
  if (min !== undefined && amount < min) {
    throw new StripeApiError(400, { type: 'invalid_request_error', code: 'amount_too_small', param, message: `Amount must be at least ${formatAmount(min, currency)} ${currency}` }, false);
  }
}

const CONFIRMABLE = ['requires_payment_method', 'requires_confirmation', 'requires_action'];
const CANCELABLE = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action', 'processing'];
const AUTHENTICATION_FAILED = 'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.';
const clone = <T>(o: T): T => structuredClone(o);

export class FakePayments {
  /** Every object by id, whatever its kind (ids carry their kind's prefix). */
  readonly objects = new Map<string, StripeObject>();
  /** Extra expandable fields that are not ids (a session's line_items), by object kind. */
  readonly expanders = new Map<string, Record<string, (o: StripeObject) => unknown>>();
  refundOutcome: 'succeeded' | 'pending_then_failed' = 'succeeded';
  /** PaymentMethod id → how its card behaves. The number itself is never kept. */
  private readonly cards = new Map<string, TestCard>();
  /** What an intent needs that is not in its object: where 3-D Secure returns, its Checkout Session. */
  private readonly links = new Map<string, { returnUrl?: string; sessionId?: string }>();

  constructor(
    private readonly emit: Emit,
    private readonly baseUrl: string,
  ) {}

  get<T extends StripeObject>(id: string, object: T['object'], kind: string, param?: string): T {
    const o = this.objects.get(id);
    if (!o || o.object !== object) throw resourceMissing(kind, id, param);
    return o as T;
  }

  intent(id: string, param?: string): PaymentIntent {
    return this.get<PaymentIntent>(id, 'payment_intent', 'payment_intent', param);
  }

  link(piId: string) {
    let l = this.links.get(piId);
    if (!l) this.links.set(piId, (l = {}));
    return l;
  }

  /** A copy with the `expand` paths (`latest_charge`, `payment_intent.latest_charge`) inlined. */
  render(object: StripeObject, expand: readonly string[] = []): StripeObject {
    const out = clone(object);
    for (const path of expand) this.expandPath(out, path.split('.'), path);
    return out;
  }

  private expandPath(o: StripeObject, [head, ...rest]: string[], path: string): void {
    const extra = this.expanders.get(o.object)?.[head];
    const value = o[head];
    if (extra) o[head] = extra(o);
    else if (typeof value === 'string' && this.objects.has(value)) o[head] = clone(this.objects.get(value));
    else if (value === null) return;
    else if (!(value && typeof value === 'object' && 'id' in value)) throw paramError(`This property cannot be expanded (${path}).`, 'expand');
    if (rest.length) this.expandPath(o[head] as StripeObject, rest, path);
  }

  createIntent(fields: IntentFields, ctx: Ctx): PaymentIntent {
    const pi = paymentIntentObject(fields);
    this.objects.set(pi.id, pi);
    this.emit('payment_intent.created', pi, ctx);
    return pi;
  }

  /** A test PaymentMethod id (`pm_card_visa`) becomes a new PaymentMethod, as at Stripe; a pm_ id is looked up. */
  resolvePaymentMethod(ref: string): string {
    const number = TEST_PAYMENT_METHODS[ref];
    if (number) {
      const d = new Date();
      const checked = checkCard({ number, exp_month: d.getUTCMonth() + 1, exp_year: d.getUTCFullYear() + 1 });
      if ('error' in checked) throw new Error(`test card table is inconsistent for ${ref}`);
      return this.addPaymentMethod(number, checked.card, checked.expMonth, checked.expYear).id;
    }
    return this.get(ref, 'payment_method', 'PaymentMethod', 'payment_method').id;
  }

  /** POST /v1/payment_methods with a typed card (what Stripe.js does with what the shopper typed). */
  createCardPaymentMethod(params: Params): StripeObject {
    const r = reader(params);
    if (r.required('type') !== 'card') throw paramError('The Stripe fake only creates card PaymentMethods.', 'type');
    const c = reader(r.object('card'), 'card');
    const number = c.required('number');
    const checked = checkCard({ number, exp_month: c.requiredInt('exp_month'), exp_year: c.requiredInt('exp_year'), cvc: c.str('cvc') });
    if ('error' in checked) {
      const { code, message, param } = checked.error;
      throw new StripeApiError(402, { type: 'card_error', code, message, param: param === 'number' ? 'card[number]' : `card[${param}]` });
    }
    return this.addPaymentMethod(number, checked.card, checked.expMonth, checked.expYear);
  }

  addPaymentMethod(number: string, card: TestCard, expMonth: number, expYear: number): StripeObject {
    const pm = paymentMethodObject(number, card, expMonth, expYear);
    this.objects.set(pm.id, pm);
    this.cards.set(pm.id, card);
    return pm;
  }

  /**
   * `browser`: confirmed by Stripe.js with the publishable key, which handles redirects itself.
   * `errorOnRequiresAction`: a card that asks for 3-D Secure fails instead (authentication_required).
   */
  confirm(pi: PaymentIntent, opts: { paymentMethod?: string; returnUrl?: string; browser?: boolean; errorOnRequiresAction?: boolean }, ctx: Ctx): PaymentIntent {
    if (!CONFIRMABLE.includes(pi.status)) {
      throw invalidRequest(
        `You cannot confirm this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be confirmed: ${CONFIRMABLE.join(', ')}.`,
        { code: 'payment_intent_unexpected_state' },
      );
    }
    const link = this.link(pi.id);
    const returnUrl = opts.returnUrl ?? link.returnUrl;
    const apm = pi.automatic_payment_methods;
    if (apm?.enabled && apm.allow_redirects !== 'never' && !returnUrl && !opts.browser) {
      throw invalidRequest(
        "This PaymentIntent is configured to accept payment methods enabled in your Dashboard. Because some of these payment methods might redirect your customer off of your page, you must provide a `return_url`. If you don't want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.",
        { param: 'return_url' },
      );
    }
    const pmId = opts.paymentMethod ? this.resolvePaymentMethod(opts.paymentMethod) : pi.payment_method;
    if (!pmId) {
      throw invalidRequest("You cannot confirm this PaymentIntent because it's missing a payment method. To confirm this PaymentIntent with a payment method, pass `payment_method`.", {
        code: 'payment_intent_unexpected_state',
        param: 'payment_method',
      });
    }
    if (returnUrl) link.returnUrl = returnUrl;
    pi.payment_method = pmId;
    pi.last_payment_error = null;
    pi.next_action = null;
    const { outcome } = this.cards.get(pmId)!;
    if (outcome !== 'authenticate') return this.settle(pi, outcome === 'approve' ? undefined : outcome, false, ctx);
    if (opts.errorOnRequiresAction) return this.settle(pi, DECLINES.authenticationRequired, false, ctx);
    pi.status = 'requires_action';
    const url = `${this.baseUrl}/3ds/${pi.id}?client_secret=${encodeURIComponent(pi.client_secret)}`;
    // Confirmed on the server with a return_url (or by Checkout): a redirect. Otherwise Stripe.js handles it.
    pi.next_action =
      returnUrl || link.sessionId
        ? { type: 'redirect_to_url', redirect_to_url: { url, return_url: returnUrl ?? null } }
        : { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: url } };
    this.emit('payment_intent.requires_action', pi, ctx);
    return pi;
  }

  /** The issuer's answer, after authentication if one was asked. A decline throws the 402 Stripe answers. */
  private settle(pi: PaymentIntent, decline: Decline | undefined, authenticated: boolean, ctx: Ctx): PaymentIntent {
    const pm = this.objects.get(pi.payment_method!)!;
    const charge = chargeObject(pi, pm, decline, authenticated);
    this.objects.set(charge.id, charge);
    pi.latest_charge = charge.id;
    if (decline) {
      pi.status = 'requires_payment_method';
      pi.last_payment_error = { type: 'card_error', ...decline, charge: charge.id, doc_url: `https://stripe.com/docs/error-codes/${decline.code.replace(/_/g, '-')}`, payment_method: clone(pm) };
      pi.payment_method = null;
      this.emit('charge.failed', charge, ctx);
      this.emit('payment_intent.payment_failed', pi, ctx);
      throw new StripeApiError(402, { ...pi.last_payment_error, payment_intent: clone(pi) });
    }
    if (pi.capture_method === 'manual') {
      pi.status = 'requires_capture';
      pi.amount_capturable = pi.amount;
      this.emit('charge.succeeded', charge, ctx);
      this.emit('payment_intent.amount_capturable_updated', pi, ctx);
    } else {
      pi.status = 'succeeded';
      pi.amount_received = pi.amount;
      this.emit('charge.succeeded', charge, ctx);
      this.emit('payment_intent.succeeded', pi, ctx);
    }
    return pi;
  }

  /** The 3-D Secure page's answer. A second answer (double click, back button) changes nothing. */
  authenticate(pi: PaymentIntent, outcome: 'complete' | 'fail', ctx: Ctx): PaymentIntent {
    if (pi.status !== 'requires_action') return pi;
    pi.next_action = null;
    if (outcome === 'complete') {
      try {
        return this.settle(pi, undefined, true, ctx);
      } catch (err) {
        if (err instanceof StripeApiError) return pi;
        throw err;
      }
    }
    pi.status = 'requires_payment_method';
    pi.last_payment_error = {
      type: 'invalid_request_error',
      code: 'payment_intent_authentication_failure',
      message: AUTHENTICATION_FAILED,
      doc_url: 'https://stripe.com/docs/error-codes/payment-intent-authentication-failure',
      payment_method: clone(this.objects.get(pi.payment_method!)!),
    };
    pi.payment_method = null;
    this.emit('payment_intent.payment_failed', pi, ctx);
    return pi;
  }

  capture(pi: PaymentIntent, params: Params, ctx: Ctx): PaymentIntent {
    const r = reader(params);
    const amount = r.int('amount_to_capture');
    const metadata = r.metadata();
    if (pi.status !== 'requires_capture') {
      throw invalidRequest(`This PaymentIntent could not be captured because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`, {
        code: 'payment_intent_unexpected_state',
      });
    }
    const toCapture = amount ?? pi.amount_capturable;
    if (toCapture < 1 || toCapture > pi.amount_capturable) {
      throw invalidRequest(`The amount to capture (${toCapture}) must be positive and at most the amount capturable (${pi.amount_capturable}).`, { code: 'amount_too_large', param: 'amount_to_capture' });
    }
    const charge = this.get<Charge>(pi.latest_charge!, 'charge', 'charge');
    charge.captured = true;
    charge.amount_captured = toCapture;
    // "Any additional amount will be automatically refunded": the released part counts as refunded.
    charge.amount_refunded = pi.amount - toCapture;
    charge.balance_transaction = stripeId('txn_');
    pi.amount_received = toCapture;
    pi.amount_capturable = 0;
    pi.status = 'succeeded';
    Object.assign(pi.metadata, metadata);
    this.emit('charge.captured', charge, ctx);
    this.emit('payment_intent.succeeded', pi, ctx);
    return pi;
  }

  cancel(pi: PaymentIntent, reason: string | undefined, ctx: Ctx): PaymentIntent {
    if (!CANCELABLE.includes(pi.status)) {
      throw invalidRequest(`You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}.`, {
        code: 'payment_intent_unexpected_state',
      });
    }
    const sessionId = this.links.get(pi.id)?.sessionId;
    if (sessionId && this.objects.get(sessionId)?.status === 'open') {
      throw invalidRequest('This PaymentIntent was created by a Checkout Session that is still open. Expire the Checkout Session instead.', { code: 'payment_intent_unexpected_state' });
    }
    if (pi.status === 'requires_capture') {
      // The authorization is released: the charge shows it as refunded.
      const charge = this.get<Charge>(pi.latest_charge!, 'charge', 'charge');
      charge.amount_refunded = charge.amount;
      charge.refunded = true;
    }
    pi.status = 'canceled';
    pi.canceled_at = now();
    pi.cancellation_reason = reason ?? null;
    pi.amount_capturable = 0;
    pi.next_action = null;
    this.emit('payment_intent.canceled', pi, ctx);
    return pi;
  }

  createRefund(params: Params, ctx: Ctx): Refund {
    const r = reader(params);
    const piId = r.str('payment_intent');
    const chargeId = r.str('charge');
    const amount = r.int('amount');
    const reason = r.oneOf('reason', ['duplicate', 'fraudulent', 'requested_by_customer'] as const);
    const metadata = r.metadata();
    if (!piId && !chargeId) throw paramError('One of the following params should be provided for this request: payment_intent or charge.', 'payment_intent', 'parameter_missing');
    if (amount !== undefined && amount < 1) throw paramError('Invalid positive integer', 'amount', 'parameter_invalid_integer');
    const pi = piId ? this.intent(piId, 'payment_intent') : undefined;
    if (pi && (pi.status !== 'succeeded' || !pi.latest_charge)) {
      throw invalidRequest(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, { code: 'charge_not_refundable', param: 'payment_intent' });
    }
    const charge = this.get<Charge>(pi ? pi.latest_charge! : chargeId!, 'charge', 'charge', pi ? undefined : 'charge');
    if (!charge.captured) throw invalidRequest(`Charge ${charge.id} has not been captured; cancel its PaymentIntent instead.`, { code: 'charge_not_refundable' });
    const openDispute = [...this.objects.values()].some((o) => o.object === 'dispute' && (o as Dispute).charge === charge.id && !['won', 'warning_closed'].includes((o as Dispute).status));
    if (openDispute) throw invalidRequest(`Charge ${charge.id} has been charged back; cannot issue a refund.`, { code: 'charge_disputed' });
    const refundable = charge.amount - charge.amount_refunded;
    if (refundable <= 0) throw invalidRequest(`Charge ${charge.id} has already been refunded.`, { code: 'charge_already_refunded' });
    const value = amount ?? refundable;
    if (value > refundable) {
      throw invalidRequest(`Refund amount (${formatAmount(value, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(refundable, charge.currency)})`, {
        code: 'amount_too_large',
        param: 'amount',
      });
    }
    const pending = this.refundOutcome === 'pending_then_failed';
    const refund = refundObject(charge, { amount: value, pending, reason, metadata });
    this.objects.set(refund.id, refund);
    charge.amount_refunded += value;
    charge.refunded = charge.amount_refunded === charge.amount;
    this.emit('refund.created', refund, ctx);
    this.emit('charge.refunded', charge, ctx);
    // The card network refuses it later: after the answer left, as a separate event.
    if (pending) ctx.after(() => this.failRefund(refund));
    return refund;
  }

  private failRefund(refund: Refund): void {
    const charge = this.get<Charge>(refund.charge, 'charge', 'charge');
    refund.status = 'failed';
    refund.failure_reason = 'expired_or_canceled_card';
    refund.failure_balance_transaction = stripeId('txn_');
    charge.amount_refunded -= refund.amount;
    charge.refunded = false;
    this.emit('refund.failed', refund, NO_REQUEST);
  }

  /** A chargeback on a captured payment: what the shopper's bank would start. */
  openDispute(piId: string, opts: { reason?: string; amount?: number } = {}): Dispute {
    const pi = this.objects.get(piId) as PaymentIntent | undefined;
    const charge = pi?.latest_charge ? (this.objects.get(pi.latest_charge) as Charge) : undefined;
    if (!pi || !charge?.captured) throw new Error(`openDispute: ${piId} has no captured charge to dispute`);
    const dispute = disputeObject(pi, charge, opts);
    this.objects.set(dispute.id, dispute);
    charge.disputed = true;
    this.emit('charge.dispute.created', dispute, NO_REQUEST);
    return dispute;
  }

  closeDispute(id: string, status: 'won' | 'lost'): Dispute {
    const dispute = this.objects.get(id) as Dispute | undefined;
    if (dispute?.object !== 'dispute') throw new Error(`closeDispute: no dispute ${id}`);
    dispute.status = status;
    this.emit('charge.dispute.closed', dispute, NO_REQUEST);
    return dispute;
  }
}
