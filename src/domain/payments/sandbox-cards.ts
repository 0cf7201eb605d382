// Card checks and test cards for the sandbox's own payment page, the stand-in for a
// provider's hosted page. Nothing else in the store reads a card number: a real provider
// takes the card on its own page or field, so these helpers never see a real card.
import type { CardSummary, DeclineCode } from './provider.ts';

/** What the shopper typed on the sandbox page. Lives only for one request: never stored or logged. */
export type CardInput = { number: string; expMonth: number; expYear: number; cvc: string };

export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'discover' | 'other';

/**
 * Test cards with a fixed outcome (the numbers Stripe documents, so habits carry over).
 * `3ds` asks for the extra confirmation step a bank's 3-D Secure page would.
 * Any other valid number of a known brand succeeds.
 */
export const SANDBOX_TEST_CARDS: Record<string, DeclineCode | '3ds'> = {
  '4000000000000002': 'card_declined',
  '4000000000009995': 'insufficient_funds',
  '4000000000000069': 'expired_card',
  '4000000000000127': 'incorrect_cvc',
  '4000000000000119': 'processing_error',
  '4000002760003184': '3ds',
  '4000002500003155': '3ds',
};

/**
 * Payment-method tokens for API clients of the sandbox (what a provider's SDK would hand
 * over in place of a card): each stands for one test card.
 */
export const SANDBOX_TOKENS: Record<string, { card: string; brand: CardBrand }> = {
  sandbox_visa: { card: '4242424242424242', brand: 'visa' },
  sandbox_mastercard: { card: '5555555555554444', brand: 'mastercard' },
  sandbox_amex: { card: '378282246310005', brand: 'amex' },
  sandbox_declined: { card: '4000000000000002', brand: 'visa' },
  sandbox_insufficient_funds: { card: '4000000000009995', brand: 'visa' },
  sandbox_expired: { card: '4000000000000069', brand: 'visa' },
  sandbox_processing_error: { card: '4000000000000119', brand: 'visa' },
  sandbox_3ds: { card: '4000002760003184', brand: 'visa' },
};

export const DECLINE_MESSAGES: Record<DeclineCode, string> = {
  card_declined: 'Your card was declined.',
  insufficient_funds: 'Your card has insufficient funds.',
  expired_card: 'Your card has expired.',
  incorrect_cvc: "Your card's security code is incorrect.",
  incorrect_number: 'Your card number is incorrect.',
  authentication_required: 'Your bank asks you to confirm this payment; complete the check on the payment page.',
  processing_error: 'An error occurred while processing your card. Try again in a little while.',
};

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
