// The payment provider boundary: what checkout, refunds and webhooks need from a card
// processor, and nothing more. The sandbox implements it today; Stripe (or any other
// processor) fits behind the same interface later without checkout changing.
// Amounts are integer minor units (cents) with an ISO 4217 currency code, as everywhere.
// Secrets (full card number, CVC) go in and never come out: results carry a CardSummary only.

/** What the shopper typed. Lives only for the duration of one authorize call: never stored or logged. */
export type CardInput = {
  /** Card number (PAN); spaces and dashes are allowed and stripped. */
  number: string;
  /** 1–12. */
  expMonth: number;
  /** Four digits (two-digit years are read as 20xx). */
  expYear: number;
  /** Security code: 3 digits, 4 for American Express. */
  cvc: string;
};

export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'discover' | 'other';

/**
 * The safe-to-keep part of a card: enough to show "Visa ending in 4242" on an order.
 * `brand` is usually a CardBrand; a provider may report other networks (e.g. "jcb") as is.
 */
export type CardSummary = { brand: string; last4: string; expMonth: number; expYear: number };

/** Why the issuer said no; the shopper can fix these by using another card or correcting input. */
export type DeclineCode = 'card_declined' | 'insufficient_funds' | 'expired_card' | 'incorrect_cvc' | 'incorrect_number';

/** Outcome of an authorization. `message` is written for the shopper and safe to display as is. */
export type AuthorizeResult =
  | { status: 'authorized'; transactionId: string; card: CardSummary }
  | { status: 'declined'; transactionId: string; card: CardSummary; declineCode: DeclineCode; message: string }
  | { status: 'failed'; transactionId?: string; card?: CardSummary; declineCode: 'processing_error'; message: string };

export type CaptureResult = { status: 'captured' } | { status: 'failed'; message: string };
export type VoidResult = { status: 'voided' } | { status: 'failed'; message: string };
/** `retryable` says whether trying again later (same idempotency key) may succeed. */
export type RefundResult = { status: 'succeeded'; refundId: string } | { status: 'failed'; message: string; retryable: boolean };

/** Something that happened at the provider, reported asynchronously (webhook). */
export type ProviderEvent = {
  /** What happened. */
  type: 'payment.captured' | 'payment.voided' | 'refund.succeeded' | 'refund.failed';
  /** The provider's id of the payment it is about. */
  transactionId: string;
  /** For refund events: the provider's id of the refund. */
  refundId?: string;
  /** Amount concerned, in minor units, when the provider says. */
  amount?: number;
};

/**
 * Every payment provider implements this. Every mutating call takes an idempotency key:
 * calling again with the same key (after a timeout, a crash, a retry) must not charge,
 * capture or refund twice, and returns the first call's result.
 */
export interface PaymentProvider {
  /** Stable identifier stored with each payment ("sandbox", "stripe"), used to find the provider again. */
  readonly name: string;
  /** Reserves `amount` on the card without moving money yet; declines are results, not exceptions. */
  authorize(input: { amount: number; currency: string; card: CardInput; idempotencyKey: string; description?: string }): Promise<AuthorizeResult>;
  /** Takes (up to) the authorized amount, e.g. when the order ships or right after checkout. */
  capture(input: { transactionId: string; amount: number; idempotencyKey: string }): Promise<CaptureResult>;
  /** Releases an authorization that was never captured (order cancelled before capture). */
  void(input: { transactionId: string; idempotencyKey: string }): Promise<VoidResult>;
  /** Gives back part or all of a payment; the cumulative refunds never exceed what was paid. */
  refund(input: { transactionId: string; amount: number; currency: string; idempotencyKey: string }): Promise<RefundResult>;
  /** Verifies and parses a webhook request; null when it is not an event we care about. Throws if the signature is bad. */
  handleWebhook(input: { rawBody: Buffer | string; headers: Record<string, string | string[] | undefined> }): Promise<ProviderEvent | null>;
}

// ---------------------------------------------------------------------------------------
// Card helpers shared by providers and the checkout form. None of them log or echo input.

/** Removes spaces and dashes: "4242 4242-4242 4242" → "4242424242424242". */
export function normalizeCardNumber(input: string): string {
  return String(input ?? '').replace(/[\s-]+/g, '');
}

/** Luhn (mod 10) checksum over the digits; false for anything that is not 12–19 digits. */
export function luhnValid(number: string): boolean {
  const digits = normalizeCardNumber(number);
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Card network from the IIN (leading digits). */
export function cardBrand(number: string): CardBrand {
  const n = normalizeCardNumber(number);
  if (!/^\d+$/.test(n)) return 'other';
  const p2 = Number(n.slice(0, 2));
  const p3 = Number(n.slice(0, 3));
  const p4 = Number(n.slice(0, 4));
  const p6 = Number(n.slice(0, 6));
  if (n.startsWith('4')) return 'visa';
  if (p2 === 34 || p2 === 37) return 'amex';
  if ((p2 >= 51 && p2 <= 55) || (n.length >= 4 && p4 >= 2221 && p4 <= 2720)) return 'mastercard';
  if (
    p4 === 6011 ||
    p2 === 65 ||
    (n.length >= 3 && p3 >= 644 && p3 <= 649) ||
    (n.length >= 6 && p6 >= 622126 && p6 <= 622925)
  ) {
    return 'discover';
  }
  return 'other';
}

/** Valid card number lengths per brand. */
const LENGTHS: Record<CardBrand, number[]> = {
  visa: [13, 16, 19],
  mastercard: [16],
  amex: [15],
  discover: [16, 17, 18, 19],
  other: [12, 13, 14, 15, 16, 17, 18, 19],
};

/** Digits of the security code the brand uses. */
export const cvcLength = (brand: CardBrand) => (brand === 'amex' ? 4 : 3);

/** Two-digit years (27) become four-digit (2027). */
export const normalizeExpYear = (year: number) => (Number.isInteger(year) && year >= 0 && year < 100 ? 2000 + year : year);

/** True when the number has the right length for its brand and passes Luhn. */
export function cardNumberValid(number: string): boolean {
  const n = normalizeCardNumber(number);
  return luhnValid(n) && LENGTHS[cardBrand(n)].includes(n.length);
}

/** True once the card's expiry month is over (cards are valid through the end of that month, UTC). */
export function cardExpired(expMonth: number, expYear: number, now: Date): boolean {
  const year = normalizeExpYear(expYear);
  return year * 12 + (expMonth - 1) < now.getUTCFullYear() * 12 + now.getUTCMonth();
}

/** The safe summary of a card (brand, last 4 digits, expiry). */
export function summarizeCard(card: CardInput): CardSummary {
  const n = normalizeCardNumber(card.number);
  return { brand: cardBrand(n), last4: n.slice(-4), expMonth: card.expMonth, expYear: normalizeExpYear(card.expYear) };
}

/**
 * Field errors for a card form, keyed `cardNumber`, `expiry`, `cvc`; empty when all is well.
 * Messages are for people and never repeat what was typed.
 */
export function validateCard(card: Partial<CardInput>, now: Date): Record<string, string> {
  const errors: Record<string, string> = {};
  const number = normalizeCardNumber(typeof card.number === 'string' ? card.number : '');
  if (!cardNumberValid(number)) errors.cardNumber = 'Enter a valid card number';

  const month = Number(card.expMonth);
  const year = normalizeExpYear(Number(card.expYear));
  if (!Number.isInteger(month) || month < 1 || month > 12 || !Number.isInteger(year) || year < 2000 || year > now.getUTCFullYear() + 20) {
    errors.expiry = 'Enter a valid expiry date';
  } else if (cardExpired(month, year, now)) {
    errors.expiry = 'This card has expired';
  }

  const digits = cvcLength(cardBrand(number));
  const cvc = typeof card.cvc === 'string' ? card.cvc.trim() : '';
  if (!new RegExp(`^\\d{${digits}}$`).test(cvc)) errors.cvc = `Enter the ${digits}-digit security code`;
  return errors;
}
