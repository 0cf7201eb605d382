// Stripe's API objects as the fake sends them (https://docs.stripe.com/api): PaymentIntent,
// PaymentMethod, Charge, Refund, Dispute, with the fields the SDK's types declare. Other
// objects are referenced by id, as Stripe does until asked to expand them.
import { createHash, randomBytes } from 'node:crypto';
import type Stripe from 'stripe';
import type { Decline, TestCard } from './stripe-cards.ts';
import type { StripeErrorBody } from './stripe-params.ts';

export type StripeObject = { id: string; object: string; [field: string]: unknown };

export type Meta = Record<string, string>;
export type CaptureMethod = 'automatic' | 'automatic_async' | 'manual';
export type PaymentIntent = StripeObject & {
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_received: number;
  automatic_payment_methods: { enabled: boolean; allow_redirects?: 'always' | 'never' } | null;
  canceled_at: number | null;
  cancellation_reason: string | null;
  capture_method: CaptureMethod;
  client_secret: string;
  currency: string;
  description: string | null;
  last_payment_error: StripeErrorBody | null;
  latest_charge: string | null;
  metadata: Meta;
  next_action: { type: string; redirect_to_url?: { url: string; return_url: string | null }; use_stripe_sdk?: object } | null;
  payment_method: string | null;
  receipt_email: string | null;
  status: Stripe.PaymentIntent.Status;
};
export type Charge = StripeObject & {
  object: 'charge';
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  captured: boolean;
  currency: string;
  disputed: boolean;
  refunded: boolean;
  status: 'succeeded' | 'failed';
  payment_intent: string;
};
export type Refund = StripeObject & { object: 'refund'; amount: number; charge: string; status: string; failure_reason?: string };
export type Dispute = StripeObject & { object: 'dispute'; status: string; charge: string };

export const now = () => Math.floor(Date.now() / 1000);
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export function stripeId(prefix: string, length = 24): string {
  return prefix + Array.from(randomBytes(length), (b) => ALPHANUMERIC[b % 62]).join('');
}

/** "$12.34", "€5.00": how Stripe quotes amounts in messages. */
export function formatAmount(amount: number, currency: string): string {
  const format = new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() });
  return format.format(amount / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

export type IntentFields = {
  amount: number;
  currency: string;
  capture_method: CaptureMethod;
  description?: string;
  metadata: Meta;
  receipt_email?: string;
  automatic_payment_methods: PaymentIntent['automatic_payment_methods'];
  payment_method_types: string[];
};

/** A new PaymentIntent, waiting for a payment method. */
export function paymentIntentObject(fields: IntentFields): PaymentIntent {
  const id = stripeId('pi_');
  return {
    id,
    object: 'payment_intent',
    amount: fields.amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: fields.automatic_payment_methods,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: fields.capture_method,
    client_secret: `${id}_secret_${stripeId('', 25)}`,
    confirmation_method: 'automatic',
    created: now(),
    currency: fields.currency,
    customer: null,
    description: fields.description ?? null,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: fields.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
    payment_method_types: fields.payment_method_types,
    processing: null,
    receipt_email: fields.receipt_email ?? null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'requires_payment_method',
    transfer_data: null,
    transfer_group: null,
  };
}

/** A card PaymentMethod: brand, last 4 digits, expiry and a fingerprint; never the number. */
export function paymentMethodObject(number: string, card: TestCard, expMonth: number, expYear: number): StripeObject {
  return {
    id: stripeId('pm_'),
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: { address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null }, email: null, name: null, phone: null, tax_id: null },
    card: {
      brand: card.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
      country: 'US',
      display_brand: card.brand,
      exp_month: expMonth,
      exp_year: expYear,
      // Stripe's fingerprint tells two cards apart without the number.
      fingerprint: createHash('sha256').update(number).digest('base64url').slice(0, 16),
      funding: card.funding,
      generated_from: null,
      last4: card.last4,
      networks: { available: [card.brand], preferred: null },
      regulated_status: 'unregulated',
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created: now(),
    customer: null,
    livemode: false,
    metadata: {},
    type: 'card',
  };
}

/** The charge of one attempt to pay: succeeded (captured or not) or failed with the issuer's reason. */
export function chargeObject(pi: PaymentIntent, pm: StripeObject, decline: Decline | undefined, authenticated: boolean): Charge {
  const card = pm.card as { brand: string; exp_month: number; exp_year: number; fingerprint: string; funding: string; last4: string };
  const captured = !decline && pi.capture_method !== 'manual';
  return {
    id: stripeId('ch_'),
    object: 'charge',
    amount: pi.amount,
    amount_captured: captured ? pi.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: captured ? stripeId('txn_') : null,
    billing_details: pm.billing_details,
    calculated_statement_descriptor: 'STRIPE FAKE',
    captured,
    created: now(),
    currency: pi.currency,
    customer: null,
    description: pi.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: decline?.code ?? null,
    failure_message: decline?.message ?? null,
    fraud_details: {},
    livemode: false,
    metadata: structuredClone(pi.metadata),
    on_behalf_of: null,
    outcome: decline
      ? { network_status: 'declined_by_network', reason: decline.decline_code, risk_level: 'normal', seller_message: 'The bank did not return any further details with this decline.', type: 'issuer_declined' }
      : { network_status: 'approved_by_network', reason: null, risk_level: 'normal', seller_message: 'Payment complete.', type: 'authorized' },
    paid: !decline,
    payment_intent: pi.id,
    payment_method: pm.id,
    payment_method_details: {
      type: 'card',
      card: {
        brand: card.brand,
        checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
        country: 'US',
        exp_month: card.exp_month,
        exp_year: card.exp_year,
        fingerprint: card.fingerprint,
        funding: card.funding,
        last4: card.last4,
        network: card.brand,
        three_d_secure: authenticated ? { authentication_flow: 'challenge', result: 'authenticated', result_reason: null, version: '2.2.0' } : null,
        wallet: null,
      },
    },
    receipt_email: pi.receipt_email,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: decline ? 'failed' : 'succeeded',
    transfer_data: null,
    transfer_group: null,
  };
}

/** A refund of part of a charge; `pending` until the card network answers (when the test says so). */
export function refundObject(charge: Charge, { amount, pending, reason, metadata }: { amount: number; pending: boolean; reason: string | undefined; metadata: Meta }): Refund {
  return {
    id: stripeId('re_'),
    object: 'refund',
    amount,
    balance_transaction: pending ? null : stripeId('txn_'),
    charge: charge.id,
    created: now(),
    currency: charge.currency,
    destination_details: { type: 'card', card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' } },
    metadata,
    payment_intent: charge.payment_intent,
    reason: reason ?? null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: pending ? 'pending' : 'succeeded',
    transfer_reversal: null,
  };
}

/** A chargeback the shopper's bank opened, waiting for the merchant's evidence. */
export function disputeObject(pi: PaymentIntent, charge: Charge, opts: { reason?: string; amount?: number }): Dispute {
  const card = (charge.payment_method_details as { card: { brand: string } }).card;
  return {
    id: stripeId('dp_'),
    object: 'dispute',
    amount: opts.amount ?? charge.amount - charge.amount_refunded,
    balance_transactions: [],
    charge: charge.id,
    created: now(),
    currency: charge.currency,
    evidence: {},
    evidence_details: { due_by: now() + 7 * 86400, has_evidence: false, past_due: false, submission_count: 0 },
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: pi.id,
    payment_method_details: { type: 'card', card: { brand: card.brand, case_type: 'chargeback', network_reason_code: '10.4' } },
    reason: opts.reason ?? 'fraudulent',
    status: 'needs_response',
  };
}
