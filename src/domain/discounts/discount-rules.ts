// What a discount is and when it applies, as plain arithmetic over a row and the cart's
// facts: the amount off, the reason it does not apply (in words a shopper can act on), and
// the checks on what staff enter. Pure: discount-service.ts reads the rows, these decide.
import { DateTime } from 'luxon';
import { applyRate, formatMoney } from '../shared/money.ts';
import type { FieldErrors } from '../shared/errors.ts';

export const DISCOUNT_KINDS = {
  /** A share of the goods, value in basis points (1000 = 10 %). */
  percent: 'Percent off',
  /** A fixed amount off the goods, value in cents (never more than the goods cost). */
  fixed: 'Amount off',
  /** Shipping costs nothing; value 0. */
  free_shipping: 'Free shipping',
} as const;
export type DiscountKind = keyof typeof DISCOUNT_KINDS;
export const DISCOUNT_KIND_NAMES = Object.keys(DISCOUNT_KINDS) as DiscountKind[];
export const isDiscountKind = (s: unknown): s is DiscountKind => typeof s === 'string' && Object.hasOwn(DISCOUNT_KINDS, s);

/** What totals need of a discount. */
export type DiscountTerms = { kind: DiscountKind; value: number };

/** A discount row as the rules need it. */
export type DiscountFacts = DiscountTerms & {
  code: string | null;
  active: boolean;
  startsAt: Date | null;
  endsAt: Date | null;
  minSubtotal: number;
  usageCap: number | null;
  perCustomerCap: number | null;
  usedCount: number;
};

/** Letters, digits, dash and underscore, 3 to 32 of them: easy to read out on the phone. */
export const CODE_PATTERN = /^[A-Za-z0-9_-]{3,32}$/;

/** Cents taken off goods worth `subtotal` (free shipping takes nothing off the goods). */
export function goodsDiscount(terms: DiscountTerms, subtotal: number): number {
  if (terms.kind === 'percent') return Math.min(subtotal, applyRate(subtotal, terms.value));
  if (terms.kind === 'fixed') return Math.min(subtotal, terms.value);
  return 0;
}

/** What the shopper sees the discount as: "SPRING10 (10% off)", "Free shipping". */
export function describeTerms(terms: DiscountTerms, currency = 'USD'): string {
  if (terms.kind === 'percent') return `${terms.value / 100}% off`;
  if (terms.kind === 'fixed') return `${formatMoney(terms.value, currency)} off`;
  return 'Free shipping';
}

export type CartFacts = { subtotal: number; now: Date; currency: string; timeZone: string; /** Orders of this customer that used it; undefined while the email is not known. */ usedByCustomer?: number };

const day = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).setLocale('en-US').toFormat('LLLL d, yyyy');

/** Why the discount does not apply to this cart, or undefined when it does. */
export function whyNot(d: DiscountFacts, f: CartFacts): string | undefined {
  const name = d.code ? `The code ${d.code.toUpperCase()}` : 'This promotion';
  if (!d.active) return `${name} is no longer valid.`;
  if (d.startsAt && f.now < d.startsAt) return `${name} can be used from ${day(d.startsAt, f.timeZone)}.`;
  if (d.endsAt && f.now >= d.endsAt) return `${name} expired on ${day(new Date(d.endsAt.getTime() - 1), f.timeZone)}.`;
  if (d.usageCap !== null && d.usedCount >= d.usageCap) return `${name} has been used as many times as it can be.`;
  if (d.perCustomerCap !== null && f.usedByCustomer !== undefined && f.usedByCustomer >= d.perCustomerCap) {
    return `${name} was already used with this email address${d.perCustomerCap > 1 ? ` ${d.perCustomerCap} times, as often as it can be` : ''}.`;
  }
  if (f.subtotal < d.minSubtotal) return `Add ${formatMoney(d.minSubtotal - f.subtotal, f.currency)} more to use this code.`;
  return undefined;
}

/** A discount as staff enter it (the admin form and the admin API). */
export type DiscountInput = {
  code: string | null;
  name: string;
  kind: DiscountKind;
  value: number;
  startsAt: Date | null;
  endsAt: Date | null;
  minSubtotal: number;
  usageCap: number | null;
  perCustomerCap: number | null;
  active: boolean;
};

/** Per-field problems with what staff entered (field names as in DiscountInput). */
export function discountInputErrors(d: DiscountInput): FieldErrors {
  const errors: FieldErrors = {};
  if (d.code !== null && !CODE_PATTERN.test(d.code)) errors.code = 'Use 3 to 32 letters, digits, dashes or underscores, e.g. SPRING10';
  if (d.code === null && !d.name.trim()) errors.name = 'Give an automatic promotion a name: shoppers see it in their cart';
  if (d.name.length > 80) errors.name = 'Keep the name to 80 characters';
  if (d.kind === 'percent' && !(Number.isInteger(d.value) && d.value >= 100 && d.value <= 10_000)) {
    errors.value = 'Enter a percentage from 1 to 100';
  }
  if (d.kind === 'fixed' && !(Number.isInteger(d.value) && d.value > 0)) errors.value = 'Enter an amount greater than $0.00';
  if (d.startsAt && d.endsAt && d.endsAt <= d.startsAt) errors.endsAt = 'The end must be after the start';
  if (!Number.isInteger(d.minSubtotal) || d.minSubtotal < 0) errors.minSubtotal = 'Enter $0.00 or more';
  if (d.usageCap !== null && !(Number.isInteger(d.usageCap) && d.usageCap >= 1)) errors.usageCap = 'Enter a whole number of at least 1, or leave empty for no cap';
  if (d.perCustomerCap !== null && !(Number.isInteger(d.perCustomerCap) && d.perCustomerCap >= 1)) {
    errors.perCustomerCap = 'Enter a whole number of at least 1, or leave empty for no cap';
  }
  return errors;
}
