// The payment provider boundary: what checkout, refunds and webhooks need from a card
// processor, and nothing more. The built-in sandbox and Stripe implement it.
//
// Card data never reaches this server. Checkout opens a *payment session* at the provider
// for an amount we computed; the shopper pays on the provider's page (or in its embedded
// field, or an API client passes a payment-method token the provider issued); the provider
// tells us through a signed webhook and the shopper's return, and we then ask the provider
// what is true (`retrieve`) before placing the order.
// Amounts are integer minor units (cents) with an ISO 4217 currency code, as everywhere.

/** Capture at checkout (`automatic`) or reserve now and capture at handover (`manual`). */
export type CaptureMethod = 'automatic' | 'manual';

/** The safe-to-keep part of a card, as the provider reports it: "Visa ending in 4242". */
export type CardSummary = { brand: string; last4: string; expMonth?: number; expYear?: number };

/** Why an issuer said no (or why an attempt could not go through). */
export type DeclineCode =
  | 'card_declined'
  | 'insufficient_funds'
  | 'expired_card'
  | 'incorrect_cvc'
  | 'incorrect_number'
  | 'authentication_required'
  | 'processing_error';

/** What a payment is at the provider right now. */
export type PaymentState =
  /** Waiting for the shopper: not paid yet, or a declined attempt they may retry, or 3-D Secure pending. */
  | 'open'
  /** The shopper paid; the provider has not settled the outcome yet (some methods take a while). */
  | 'processing'
  /** Money reserved on the card; it moves when captured. */
  | 'authorized'
  /** Money taken. */
  | 'captured'
  /** Over without money: declined for good (one-call checkout), cancelled, or the session expired. */
  | 'canceled';

/** The provider's view of one payment, read fresh (never cached): the truth checkout acts on. */
export type ProviderPayment = {
  /** The provider's session id (Stripe: cs_… for hosted Checkout, else the PaymentIntent id). */
  sessionId: string;
  /** The provider's payment id once it exists (Stripe: pi_…); refunds and captures use it. */
  transactionId?: string;
  status: PaymentState;
  amount: number;
  currency: string;
  /** Cents captured so far. */
  amountCaptured: number;
  card?: CardSummary;
  /** Why the latest attempt failed, for the shopper (safe to show as is). */
  declineCode?: DeclineCode;
  message?: string;
  /** Where to send the shopper to pay (hosted page, or 3-D Secure step). */
  redirectUrl?: string;
  /** For an embedded payment field in the browser (Stripe Payment Element). */
  clientSecret?: string;
};

export type CreateSessionInput = {
  /** Our payment id: stored with the provider's object, so every webhook leads back to it. */
  reference: string;
  amount: number;
  currency: string;
  captureMethod: CaptureMethod;
  /** Same key ⇒ the same session, however often the call is repeated. */
  idempotencyKey: string;
  description: string;
  email: string;
  /** Shown on a hosted payment page; their amounts add up to `amount`. */
  lines: { name: string; quantity: number; unitAmount: number }[];
  /** Where the provider sends the shopper after paying, and after giving up. */
  returnUrl: string;
  cancelUrl: string;
  /**
   * How the shopper pays: `hosted` (redirect to the provider's page), `embedded` (a field the
   * provider renders in our page), or a provider-issued payment-method token, confirmed at once.
   */
  method: { kind: 'hosted' } | { kind: 'embedded' } | { kind: 'token'; token: string };
};

export type CaptureResult = { status: 'captured' } | { status: 'failed'; message: string };
export type VoidResult = { status: 'voided' } | { status: 'failed'; message: string };
/** `retryable` says whether trying again later (same idempotency key) may succeed. */
export type RefundResult =
  | { status: 'succeeded'; refundId: string }
  | { status: 'pending'; refundId: string }
  | { status: 'failed'; message: string; retryable: boolean };

/**
 * Something that happened at the provider, from a verified webhook. Payment events carry no
 * status on purpose: they arrive late, twice or out of order, so the receiver asks the
 * provider for the payment's current state instead of trusting the event's snapshot.
 */
export type ProviderEvent = {
  /** The provider's event id: the same event delivered twice is handled once. */
  id: string;
  createdAt: Date;
} & (
  | { type: 'payment.updated'; reference?: string; sessionId?: string; transactionId?: string }
  | { type: 'refund.succeeded' | 'refund.failed'; refundId: string; reference?: string; message?: string }
  | {
      type: 'dispute.opened' | 'dispute.closed';
      transactionId: string;
      dispute: { id: string; status: string; reason: string; amount: number; currency: string };
    }
);

export class WebhookSignatureError extends Error {}

/**
 * Every payment provider implements this. Every mutating call takes an idempotency key:
 * calling again with the same key (after a timeout, a crash, a retry) must not charge,
 * capture or refund twice, and returns the first call's result.
 */
export interface PaymentProvider {
  /** Stable identifier stored with each payment ("sandbox", "stripe"), used to find the provider again. */
  readonly name: string;
  /** Publishable settings the browser needs for an embedded field (Stripe's publishable key). */
  readonly browser?: { publishableKey: string; scriptUrl: string };
  /** Opens a payment session for `amount` (declines of a token are results, not exceptions). */
  createSession(input: CreateSessionInput): Promise<ProviderPayment>;
  /** The payment as the provider sees it now. */
  retrieve(input: { sessionId: string; transactionId?: string | null }): Promise<ProviderPayment>;
  /** Takes `amount` (≤ authorized) of an authorization; the rest is released. */
  capture(input: { transactionId: string; amount: number; idempotencyKey: string }): Promise<CaptureResult>;
  /** Releases an authorization, or closes a session nobody paid; refused once money was captured. */
  void(input: { sessionId: string; transactionId?: string | null; idempotencyKey: string }): Promise<VoidResult>;
  /** Gives back part or all of a captured payment; the cumulative refunds never exceed it. */
  refund(input: { transactionId: string; amount: number; currency: string; idempotencyKey: string; reference: string }): Promise<RefundResult>;
  /** Verifies a webhook's signature on the raw bytes and parses it; null for events we do not use. Throws WebhookSignatureError. */
  parseWebhook(input: { rawBody: Buffer; headers: Record<string, string | string[] | undefined> }): ProviderEvent | null;
}

/** The card fields an old client might still send; each is refused by name. */
export const CARD_FIELDS = ['cardNumber', 'number', 'cvc', 'cvv', 'expMonth', 'expYear', 'expiry', 'card'] as const;
