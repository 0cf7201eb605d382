// The Stripe fake's Checkout Sessions (https://docs.stripe.com/api/checkout/sessions): a
// hosted page the shopper pays on, mode=payment only. As at Stripe, the PaymentIntent
// appears at the first attempt to pay and is reused by retries after a decline.
import { checkCard, parseExpiry } from './stripe-cards.ts';
import { now, stripeId, type CaptureMethod, type PaymentIntent, type StripeObject } from './stripe-objects.ts';
import { checkMinimumAmount, NO_REQUEST, type Ctx, type FakePayments } from './stripe-payments.ts';
import { invalidRequest, KNOWN_PARAMS, onlyKnown, paramError, reader, resourceMissing, StripeApiError, type Params } from './stripe-params.ts';

export type Session = StripeObject & {
  object: 'checkout.session';
  amount_total: number;
  cancel_url: string | null;
  currency: string;
  customer_email: string | null;
  expires_at: number;
  metadata: Record<string, string>;
  payment_intent: string | null;
  payment_status: 'paid' | 'unpaid';
  status: 'open' | 'complete' | 'expired';
  success_url: string | null;
  url: string | null;
};
export type LineItem = StripeObject & { object: 'item'; description: string; quantity: number; amount_total: number; currency: string; price: { unit_amount: number } & Record<string, unknown> };
type IntentData = { capture_method: CaptureMethod; description?: string; metadata: Record<string, string>; receipt_email?: string };

/** What the shopper's attempt on the hosted page led to. */
export type PayOutcome = { redirect: string } | { status: number; error: string; field?: 'number' | 'expiry' | 'cvc' };

const MIN_LIFETIME_S = 30 * 60;
const MAX_LIFETIME_S = 24 * 60 * 60;

export class FakeCheckout {
  private readonly lineItems = new Map<string, LineItem[]>();
  private readonly intentData = new Map<string, IntentData>();

  constructor(
    private readonly payments: FakePayments,
    private readonly emit: (type: string, object: StripeObject, ctx: Ctx) => void,
    private readonly baseUrl: string,
  ) {
    payments.expanders.set('checkout.session', { line_items: (s) => this.lineItemList(s.id) });
  }

  /** Stripe sends no event when a session is created. */
  create(params: Params): Session {
    onlyKnown(params, KNOWN_PARAMS.sessionCreate);
    const r = reader(params);
    const mode = r.oneOf('mode', ['payment', 'setup', 'subscription'] as const);
    if (!mode) throw paramError('Missing required param: mode.', 'mode', 'parameter_missing');
    if (mode !== 'payment') throw paramError('The Stripe fake supports mode=payment only.', 'mode');
    const items = r.list('line_items');
    if (items.length === 0) throw paramError('Missing required param: line_items.', 'line_items', 'parameter_missing');
    const lines = items.map((item, i) => this.lineItem(item as Params, `line_items[${i}]`));
    const currency = lines[0].currency;
    if (lines.some((l) => l.currency !== currency)) throw paramError('All line items must use the same currency.', 'line_items');
    const amount = lines.reduce((sum, l) => sum + l.amount_total, 0);
    checkMinimumAmount(amount, currency, 'line_items');
    const created = now();
    const expiresAt = r.int('expires_at') ?? created + MAX_LIFETIME_S;
    if (expiresAt < created + MIN_LIFETIME_S || expiresAt > created + MAX_LIFETIME_S) {
      throw paramError('The `expires_at` timestamp must be at least 30 minutes and at most 24 hours from Checkout Session creation.', 'expires_at');
    }
    const pid = r.object('payment_intent_data');
    if (pid) onlyKnown(pid, KNOWN_PARAMS.sessionPaymentIntentData, 'payment_intent_data');
    const p = reader(pid, 'payment_intent_data');
    const intentData: IntentData = {
      capture_method: p.oneOf('capture_method', ['automatic', 'automatic_async', 'manual'] as const) ?? 'automatic_async',
      description: p.str('description'),
      metadata: p.metadata(),
      receipt_email: p.str('receipt_email'),
    };
    const id = stripeId('cs_test_', 58);
    const session: Session = {
      id,
      object: 'checkout.session',
      adaptive_pricing: null,
      after_expiration: null,
      allow_promotion_codes: null,
      amount_subtotal: amount,
      amount_total: amount,
      automatic_tax: { enabled: false, liability: null, provider: null, status: null },
      billing_address_collection: null,
      cancel_url: r.url('cancel_url') ?? null,
      client_reference_id: r.str('client_reference_id') ?? null,
      client_secret: null,
      consent: null,
      consent_collection: null,
      created,
      currency,
      custom_fields: [],
      custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
      customer: null,
      customer_creation: 'if_required',
      customer_details: null,
      customer_email: r.str('customer_email') ?? null,
      expires_at: expiresAt,
      invoice: null,
      invoice_creation: null,
      livemode: false,
      locale: null,
      metadata: r.metadata(),
      mode: 'payment',
      payment_intent: null,
      payment_link: null,
      payment_method_collection: 'if_required',
      payment_method_types: ['card'],
      payment_status: 'unpaid',
      phone_number_collection: { enabled: false },
      recovered_from: null,
      setup_intent: null,
      shipping_address_collection: null,
      shipping_cost: null,
      shipping_options: [],
      status: 'open',
      submit_type: null,
      subscription: null,
      success_url: r.url('success_url') ?? null,
      total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
      ui_mode: 'hosted',
      url: `${this.baseUrl}/c/pay/${id}`,
    };
    this.payments.objects.set(id, session);
    this.lineItems.set(id, lines);
    this.intentData.set(id, intentData);
    return session;
  }

  private lineItem(item: Params, prefix: string): LineItem {
    const li = reader(item, prefix);
    const quantity = li.requiredInt('quantity');
    if (quantity < 1) throw paramError('Quantity must be at least 1.', `${prefix}[quantity]`);
    const price = li.str('price');
    if (price) throw resourceMissing('price', price, `${prefix}[price]`);
    const priceData = li.object('price_data');
    if (!priceData) throw paramError(`Missing required param: ${prefix}[price_data].`, `${prefix}[price_data]`, 'parameter_missing');
    const pd = reader(priceData, `${prefix}[price_data]`);
    const currency = pd.required('currency').toLowerCase();
    const unitAmount = pd.requiredInt('unit_amount');
    if (unitAmount < 0) throw paramError('Invalid non-negative integer', `${prefix}[price_data][unit_amount]`, 'parameter_invalid_integer');
    const name = reader(pd.object('product_data'), `${prefix}[price_data][product_data]`).required('name');
    return {
      id: stripeId('li_'),
      object: 'item',
      amount_discount: 0,
      amount_subtotal: unitAmount * quantity,
      amount_tax: 0,
      amount_total: unitAmount * quantity,
      currency,
      description: name,
      price: {
        id: stripeId('price_'),
        object: 'price',
        active: false,
        created: now(),
        currency,
        livemode: false,
        metadata: {},
        product: stripeId('prod_'),
        type: 'one_time',
        unit_amount: unitAmount,
        unit_amount_decimal: String(unitAmount),
      },
      quantity,
    };
  }

  lines(sessionId: string): LineItem[] {
    return this.lineItems.get(sessionId) ?? [];
  }

  lineItemList(sessionId: string) {
    return { object: 'list', data: structuredClone(this.lines(sessionId)), has_more: false, url: `/v1/checkout/sessions/${sessionId}/line_items` };
  }

  /** The session; one past its expires_at expires now, as Stripe would have done. */
  session(id: string): Session {
    const s = this.payments.get<Session>(id, 'checkout.session', 'checkout session');
    if (s.status === 'open' && now() >= s.expires_at) this.expire(s, NO_REQUEST);
    return s;
  }

  expire(s: Session, ctx: Ctx): Session {
    if (s.status !== 'open') throw invalidRequest(`Only Checkout Sessions with a status in ["open"] can be expired. This session has a status of ${s.status}.`);
    s.status = 'expired';
    s.url = null;
    const pi = s.payment_intent ? this.payments.intent(s.payment_intent) : undefined;
    if (pi && pi.status !== 'canceled') this.payments.cancel(pi, 'abandoned', ctx);
    this.emit('checkout.session.expired', s, ctx);
    return s;
  }

  /** The shopper typed a card on the hosted page and pressed Pay. */
  pay(s: Session, form: Params): PayOutcome {
    if (s.status !== 'open') return { status: 409, error: 'This Checkout Session is no longer open.' };
    const text = (k: string) => (typeof form[k] === 'string' ? (form[k] as string).trim() : '');
    if (!text('number')) return { status: 400, error: 'Your card number is incomplete.', field: 'number' };
    const expiry = parseExpiry(text('expiry'));
    if (!expiry) return { status: 400, error: "Your card's expiration date is incomplete.", field: 'expiry' };
    if (!/^\d{3,4}$/.test(text('cvc'))) return { status: 400, error: "Your card's security code is incomplete.", field: 'cvc' };
    const checked = checkCard({ number: text('number'), exp_month: expiry.month, exp_year: expiry.year, cvc: text('cvc') });
    if ('error' in checked) return { status: 400, error: checked.error.message, field: checked.error.param === 'number' || checked.error.param === 'cvc' ? checked.error.param : 'expiry' };
    const pi = this.intentOf(s);
    const pm = this.payments.addPaymentMethod(text('number').replace(/[\s-]/g, ''), checked.card, checked.expMonth, checked.expYear);
    try {
      this.payments.confirm(pi, { paymentMethod: pm.id }, NO_REQUEST);
    } catch (err) {
      if (err instanceof StripeApiError && err.status === 402) return { status: 402, error: err.body.message };
      throw err;
    }
    if (pi.status === 'requires_action') return { redirect: pi.next_action!.redirect_to_url!.url };
    return { redirect: this.complete(s, pi) };
  }

  /** Where the shopper goes once 3-D Secure is answered: the success page, or back to pay again. */
  afterAuthentication(s: Session, pi: PaymentIntent): string {
    if (s.status === 'open' && (pi.status === 'succeeded' || pi.status === 'requires_capture')) return this.complete(s, pi);
    return s.status === 'complete' ? this.successUrl(s) : `${this.baseUrl}/c/pay/${s.id}`;
  }

  private intentOf(s: Session): PaymentIntent {
    if (s.payment_intent) return this.payments.intent(s.payment_intent);
    const data = this.intentData.get(s.id)!;
    const pi = this.payments.createIntent(
      { amount: s.amount_total, currency: s.currency, ...data, metadata: { ...data.metadata }, automatic_payment_methods: null, payment_method_types: ['card'] },
      NO_REQUEST,
    );
    this.payments.link(pi.id).sessionId = s.id;
    s.payment_intent = pi.id;
    return pi;
  }

  private complete(s: Session, pi: PaymentIntent): string {
    s.status = 'complete';
    // A manual-capture payment is only authorized: Stripe reports the session as unpaid.
    s.payment_status = pi.status === 'succeeded' ? 'paid' : 'unpaid';
    s.url = null;
    s.customer_details = { address: null, email: s.customer_email, name: null, phone: null, tax_exempt: 'none', tax_ids: [] };
    this.emit('checkout.session.completed', s, NO_REQUEST);
    return this.successUrl(s);
  }

  successUrl(s: Session): string {
    return (s.success_url ?? `${this.baseUrl}/c/pay/${s.id}`).replaceAll('{CHECKOUT_SESSION_ID}', s.id);
  }
}
