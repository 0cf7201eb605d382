// What an order costs: subtotal, shipping, sales tax and total, from catalog prices and
// store settings only. The cart page, the checkout page and order creation all call these
// functions, so the amount shown is the amount charged. Shipping comes from the store's
// zones and weight brackets (shipping-rates.ts); tax from a TaxProvider, the store's own
// table by default (computeTotals is the table, synchronously, for cart estimates).
import type { ShippingMethod, StoreSettings } from '../settings/store-settings.ts';
import type { TaxProvider } from '../tax/tax-provider.ts';
import { tableTax, type TaxJurisdiction, type TaxQuote, type TaxRequest } from '../tax/tax-table.ts';
import { allocate } from '../shared/money.ts';
import { goodsDiscount, type DiscountTerms } from '../discounts/discount-rules.ts';
import { parcelGrams, shippingOptions, type ParcelLine } from './shipping-rates.ts';

export type PricedLine = ParcelLine & { unitPrice: number; taxCategory?: string };

export type Totals = {
  /** The goods at their prices, before the discount. */
  subtotal: number;
  /** Cents the discount took off the goods (free shipping shows as `shipping` 0, not here). */
  discount: number;
  /** Each line's share of `discount` (same order as the lines): each line is taxed on its price less this. */
  lineDiscount: number[];
  shipping: number;
  /** All sales tax: the goods' and the shipping's. */
  tax: number;
  total: number;
  /** The sales-tax rate applied, in basis points; 0 when the state has none or is not known yet. */
  taxRateBp: number;
  /** Each line's exact share of the goods tax (same order as the lines). */
  lineTax: number[];
  /** The part of `tax` charged on shipping (states such as West Virginia tax delivery). */
  shippingTax: number;
  /** How `tax` splits between taxing authorities; adds up to `tax`. */
  jurisdictions: TaxJurisdiction[];
  /** True when standard shipping was free because of the free-shipping threshold (or a free-shipping discount). */
  freeShipping: boolean;
  /** The parcel's weight as priced, grams. */
  grams: number;
};

/**
 * What the totals are for: the shipping method, the destination state (omit while not known:
 * tax is then 0 and shipping the flat rate), `shippingRate`, a rate already paid that a
 * change to the order keeps instead of today's rate, and the discount that applies (its
 * conditions already checked by discount-service.ts) or, for a change to an order, each
 * line's share of the discount already given (`lineDiscounts`, same order as the lines).
 */
export type TotalsChoice = { shippingMethod?: ShippingMethod; state?: string; shippingRate?: number; discount?: DiscountTerms; lineDiscounts?: number[] };

type Priced = { subtotal: number; discount: number; lineDiscount: number[]; shipping: number; freeShipping: boolean; grams: number; taxRequest: TaxRequest };

function priceGoodsAndShipping(settings: StoreSettings, lines: PricedLine[], choice: TotalsChoice): Priced {
  const lineTotals = lines.map((l) => l.unitPrice * l.quantity);
  const subtotal = lineTotals.reduce((a, b) => a + b, 0);
  // The discount is spread over the lines in proportion to their price, before tax, so each
  // line is taxed on what it really costs and a later refund of a line can return its share.
  const discount = choice.lineDiscounts ? choice.lineDiscounts.reduce((a, b) => a + b, 0) : choice.discount ? goodsDiscount(choice.discount, subtotal) : 0;
  const lineDiscount = choice.lineDiscounts ?? (discount > 0 ? allocate(discount, lineTotals) : lineTotals.map(() => 0));
  const grams = parcelGrams(settings, lines);
  // The free-shipping threshold looks at the goods before the discount: a code never costs the shopper free shipping.
  const option = shippingOptions(settings, { subtotal, grams, state: choice.state }).find((o) => o.method === (choice.shippingMethod ?? 'standard'))!;
  const freeByDiscount = choice.discount?.kind === 'free_shipping';
  // An empty cart ships nothing.
  const rate = choice.shippingRate !== undefined && choice.shippingRate > 0 ? choice.shippingRate : option.rate;
  const shipping = subtotal === 0 || option.free || freeByDiscount ? 0 : rate;
  const taxRequest = { state: choice.state, shipping, lines: lines.map((l, i) => ({ amount: lineTotals[i]! - lineDiscount[i]!, category: l.taxCategory ?? 'general' })) };
  return { subtotal, discount, lineDiscount, shipping, freeShipping: option.free || (freeByDiscount && subtotal > 0), grams, taxRequest };
}

function assemble(p: Priced, tax: TaxQuote): Totals {
  return {
    subtotal: p.subtotal,
    discount: p.discount,
    lineDiscount: p.lineDiscount,
    shipping: p.shipping,
    tax: tax.tax,
    total: p.subtotal - p.discount + p.shipping + tax.tax,
    taxRateBp: tax.rateBp,
    lineTax: tax.lineTax,
    shippingTax: tax.shippingTax,
    jurisdictions: tax.jurisdictions,
    freeShipping: p.freeShipping,
    grams: p.grams,
  };
}

/** Totals with the store's own tax table: what the cart shows, and what a change to an order recomputes. */
export function computeTotals(settings: StoreSettings, lines: PricedLine[], choice: TotalsChoice = {}): Totals {
  const priced = priceGoodsAndShipping(settings, lines, choice);
  return assemble(priced, tableTax(settings, priced.taxRequest));
}

/** Totals with tax from `provider`: what checkout charges. */
export async function quoteTotals(provider: TaxProvider, settings: StoreSettings, lines: PricedLine[], choice: TotalsChoice): Promise<Totals> {
  const priced = priceGoodsAndShipping(settings, lines, choice);
  return assemble(priced, await provider.quote(settings, priced.taxRequest));
}
