// Sales tax from the store's own table: a rate per state, whether that state taxes delivery
// charges, and the product categories it exempts. Pure, so the cart, checkout and a change
// to an order all get the same cents; a tax service plugs in behind TaxProvider instead.
import { US_STATES } from '../checkout/us-states.ts';
import type { StoreSettings } from '../settings/store-settings.ts';
import { allocate, applyRate } from '../shared/money.ts';

/** What a product is, for sales tax. States exempt some of these (groceries nearly everywhere, clothing in a few). */
export const TAX_CATEGORIES = {
  general: 'General merchandise',
  clothing: 'Clothing and shoes',
  groceries: 'Food and groceries',
} as const;
export type TaxCategory = keyof typeof TAX_CATEGORIES;
export const TAX_CATEGORY_NAMES = Object.keys(TAX_CATEGORIES) as TaxCategory[];
export const isTaxCategory = (s: unknown): s is TaxCategory => typeof s === 'string' && Object.hasOwn(TAX_CATEGORIES, s);

/** One taxing authority's part of an order's tax: the state for the table, state/county/city for a tax service. */
export type TaxJurisdiction = {
  /** e.g. "US-WV". */
  code: string;
  name: string;
  rateBp: number;
  /** Cents this authority taxed (goods not exempt, plus shipping where it is taxed). */
  taxable: number;
  tax: number;
};

/** What is being taxed: each line's price after discounts, with its category, and the delivery charge. */
export type TaxRequest = { state?: string; lines: { amount: number; category: string }[]; shipping: number };

export type TaxQuote = {
  /** Each line's tax, in the request's order. */
  lineTax: number[];
  shippingTax: number;
  /** Sum of lineTax and shippingTax. */
  tax: number;
  /** The combined rate, in basis points (for "Sales tax (WV, 6%)"). */
  rateBp: number;
  /** How `tax` splits between authorities; their taxes add up to `tax`. */
  jurisdictions: TaxJurisdiction[];
};

/** The state's rules: the table's rate, and what the state leaves untaxed. */
export function stateTaxRule(settings: StoreSettings, state: string | undefined) {
  const rule = state ? settings.taxRules[state] : undefined;
  return {
    rateBp: state ? (settings.taxRates[state] ?? 0) : 0,
    shippingTaxable: rule?.shippingTaxable ?? false,
    exempt: new Set<string>(rule?.exemptCategories ?? []),
  };
}

/**
 * Tax by the table. Goods and shipping are rounded separately, so each line's share adds up
 * to the goods tax exactly and the shipping tax stands alone (a refund of shipping returns it whole).
 */
export function tableTax(settings: StoreSettings, req: TaxRequest): TaxQuote {
  const { rateBp, shippingTaxable, exempt } = stateTaxRule(settings, req.state);
  const taxed = req.lines.map((l) => (exempt.has(l.category) ? 0 : l.amount));
  const taxableGoods = taxed.reduce((a, b) => a + b, 0);
  const goodsTax = applyRate(taxableGoods, rateBp);
  const lineTax = taxableGoods === 0 ? taxed.map(() => 0) : allocate(goodsTax, taxed);
  const shippingTax = shippingTaxable ? applyRate(req.shipping, rateBp) : 0;
  const tax = goodsTax + shippingTax;
  const state = req.state as keyof typeof US_STATES | undefined;
  const jurisdictions =
    state && rateBp > 0
      ? [{ code: `US-${state}`, name: US_STATES[state] ?? state, rateBp, taxable: taxableGoods + (shippingTaxable ? req.shipping : 0), tax }]
      : [];
  return { lineTax, shippingTax, tax, rateBp, jurisdictions };
}

/**
 * The tax part of a refund split over the order's jurisdictions, exactly: `before` is the tax
 * refunded by earlier refunds, so refunding everything in any number of steps gives each
 * authority back exactly what it was charged.
 */
export function refundJurisdictions(charged: TaxJurisdiction[], before: number, now: number): { code: string; tax: number }[] {
  const weights = charged.map((j) => j.tax);
  const upTo = (n: number) => (weights.some((w) => w > 0) ? allocate(n, weights) : weights.map(() => 0));
  const after = upTo(before + now);
  const earlier = upTo(before);
  return charged.map((j, i) => ({ code: j.code, tax: after[i]! - earlier[i]! }));
}
