// The test cards the Stripe fake knows, by the numbers and PaymentMethod ids Stripe
// documents (https://docs.stripe.com/testing), and the checks Stripe makes on a typed card.
// Any other number is refused: in test mode Stripe accepts only its test cards.

export type Brand = 'visa' | 'mastercard' | 'amex' | 'discover';

/** How an issuer answers: Stripe's error code, decline code and message for the shopper. */
export type Decline = { code: string; decline_code: string; message: string };

export type TestCard = {
  brand: Brand;
  funding: 'credit' | 'debit';
  last4: string;
  /** `authenticate`: the bank asks for 3-D Secure first, then approves. */
  outcome: 'approve' | 'authenticate' | Decline;
};

export const DECLINES = {
  generic: { code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' },
  insufficientFunds: { code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' },
  expired: { code: 'expired_card', decline_code: 'expired_card', message: 'Your card has expired.' },
  incorrectCvc: { code: 'incorrect_cvc', decline_code: 'incorrect_cvc', message: "Your card's security code is incorrect." },
  processingError: { code: 'processing_error', decline_code: 'processing_error', message: 'An error occurred while processing your card. Try again in a little bit.' },
  /** A card that asks for 3-D Secure, confirmed with error_on_requires_action. */
  authenticationRequired: { code: 'authentication_required', decline_code: 'authentication_required', message: 'Your card was declined. This transaction requires authentication.' },
} satisfies Record<string, Decline>;

const card = (number: string, brand: Brand, outcome: TestCard['outcome'] = 'approve', funding: TestCard['funding'] = 'credit'): [string, TestCard] => [
  number,
  { brand, funding, last4: number.slice(-4), outcome },
];

/** Card number → behaviour. */
export const TEST_CARDS: ReadonlyMap<string, TestCard> = new Map([
  card('4242424242424242', 'visa'),
  card('4000056655665556', 'visa', 'approve', 'debit'),
  card('5555555555554444', 'mastercard'),
  card('2223003122003222', 'mastercard'),
  card('378282246310005', 'amex'),
  card('6011111111111117', 'discover'),
  card('4000000000000002', 'visa', DECLINES.generic),
  card('4000000000009995', 'visa', DECLINES.insufficientFunds),
  card('4000000000000069', 'visa', DECLINES.expired),
  card('4000000000000127', 'visa', DECLINES.incorrectCvc),
  card('4000000000000119', 'visa', DECLINES.processingError),
  // 3-D Secure: "authenticate unless set up", "always authenticate", "3DS2 required".
  card('4000002500003155', 'visa', 'authenticate'),
  card('4000002760003184', 'visa', 'authenticate'),
  card('4000000000003220', 'visa', 'authenticate'),
]);

/** Stripe's test PaymentMethod ids (what server-side code uses instead of card numbers) → card number. */
export const TEST_PAYMENT_METHODS: Readonly<Record<string, string>> = {
  pm_card_visa: '4242424242424242',
  pm_card_visa_debit: '4000056655665556',
  pm_card_mastercard: '5555555555554444',
  pm_card_amex: '378282246310005',
  pm_card_discover: '6011111111111117',
  pm_card_chargeDeclined: '4000000000000002',
  pm_card_visa_chargeDeclined: '4000000000000002',
  pm_card_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_visa_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_chargeDeclinedExpiredCard: '4000000000000069',
  pm_card_visa_chargeDeclinedExpiredCard: '4000000000000069',
  pm_card_chargeDeclinedIncorrectCvc: '4000000000000127',
  pm_card_visa_chargeDeclinedIncorrectCvc: '4000000000000127',
  pm_card_chargeDeclinedProcessingError: '4000000000000119',
  pm_card_visa_chargeDeclinedProcessingError: '4000000000000119',
  pm_card_authenticationRequiredOnSetup: '4000002500003155',
  pm_card_authenticationRequired: '4000002760003184',
  pm_card_threeDSecure2Required: '4000000000003220',
};

/** A problem with what the shopper typed, worded as Stripe's card forms word it. */
export type CardInputError = { code: string; message: string; param: 'number' | 'exp_month' | 'exp_year' | 'cvc' };

/**
 * Checks a typed card the way Stripe does when a PaymentMethod is created from it; the card
 * behaviour when it passes. Expiry is checked against the last day of the month.
 */
export function checkCard(
  input: { number: string; exp_month?: number; exp_year?: number; cvc?: string },
  now = new Date(),
): { card: TestCard; expMonth: number; expYear: number } | { error: CardInputError } {
  const number = input.number.replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(number)) return { error: { code: 'invalid_number', message: 'Your card number is invalid.', param: 'number' } };
  const known = TEST_CARDS.get(number);
  if (!known) return { error: { code: 'incorrect_number', message: 'Your card number is incorrect.', param: 'number' } };
  const month = input.exp_month;
  if (!month || month < 1 || month > 12) return { error: { code: 'invalid_expiry_month', message: "Your card's expiration month is invalid.", param: 'exp_month' } };
  const year = input.exp_year !== undefined && input.exp_year < 100 ? 2000 + input.exp_year : input.exp_year;
  if (!year) return { error: { code: 'invalid_expiry_year', message: "Your card's expiration year is invalid.", param: 'exp_year' } };
  if (year < now.getUTCFullYear()) return { error: { code: 'invalid_expiry_year', message: "Your card's expiration year is in the past.", param: 'exp_year' } };
  if (year === now.getUTCFullYear() && month < now.getUTCMonth() + 1) return { error: { code: 'invalid_expiry_month', message: "Your card's expiration date is in the past.", param: 'exp_month' } };
  const cvcLength = known.brand === 'amex' ? 4 : 3;
  if (input.cvc !== undefined && !new RegExp(`^\\d{${cvcLength}}$`).test(input.cvc)) {
    return { error: { code: 'invalid_cvc', message: "Your card's security code is invalid.", param: 'cvc' } };
  }
  return { card: known, expMonth: month, expYear: year };
}

/** "12/34", "12 / 34", "1234", "12/2034" → month and year; undefined when not a date. */
export function parseExpiry(text: string): { month: number; year: number } | undefined {
  const m = /^\s*(\d{1,2})\s*\/?\s*(\d{2}|\d{4})\s*$/.exec(text);
  return m ? { month: Number(m[1]), year: Number(m[2]) } : undefined;
}
