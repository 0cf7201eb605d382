// What an order costs: subtotal, shipping, sales tax and total, from catalog prices and
// store settings only. Pure: the cart page, the checkout page and order creation all
// call this one function, so the amount shown is the amount charged.
import { allocate, applyRate } from '../shared/money.ts';
import type { ShippingMethod, StoreSettings } from '../settings/store-settings.ts';

export const SHIPPING_METHODS = ['standard', 'express'] as const satisfies readonly ShippingMethod[];

export type PricedLine = { unitPrice: number; quantity: number };

export type Totals = {
  subtotal: number;
  shipping: number;
  tax: number;
  total: number;
  /** The sales-tax rate applied, in basis points; 0 when the state has none or is not known yet. */
  taxRateBp: number;
  /** Each line's exact share of `tax` (same order as the lines); the shares add up to `tax`. */
  lineTax: number[];
  /** True when standard shipping was free because of the free-shipping threshold. */
  freeShipping: boolean;
};

/** One shipping choice as the shopper sees it, with the price for this subtotal. */
export type ShippingOption = { method: ShippingMethod; label: string; days: string; rate: number; free: boolean };

const freeStandard = (settings: StoreSettings, subtotal: number) =>
  settings.shipping.freeStandardFrom !== null && subtotal > 0 && subtotal >= settings.shipping.freeStandardFrom;

export function shippingOptions(settings: StoreSettings, subtotal: number): ShippingOption[] {
  return SHIPPING_METHODS.map((method) => {
    const m = settings.shipping.methods[method];
    const free = method === 'standard' && freeStandard(settings, subtotal);
    return { method, label: m.label, days: m.days, rate: free ? 0 : m.rate, free };
  });
}

/** Cents still to add before standard shipping is free; undefined when it already is or the store has no threshold. */
export function amountToFreeShipping(settings: StoreSettings, subtotal: number): number | undefined {
  const from = settings.shipping.freeStandardFrom;
  return from === null || freeStandard(settings, subtotal) ? undefined : from - subtotal;
}

/** Sales-tax rate for a US state code, in basis points (0 where the store collects none). */
export const taxRateFor = (settings: StoreSettings, state: string | undefined) => (state ? (settings.taxRates[state] ?? 0) : 0);

/**
 * Totals for `lines` shipped with `shippingMethod` to `state` (omit the state while it is
 * not known: tax is then 0). Tax applies to the goods, not to shipping.
 */
export function computeTotals(
  settings: StoreSettings,
  lines: PricedLine[],
  choice: { shippingMethod?: ShippingMethod; state?: string } = {},
): Totals {
  const lineTotals = lines.map((l) => l.unitPrice * l.quantity);
  const subtotal = lineTotals.reduce((a, b) => a + b, 0);
  const option = shippingOptions(settings, subtotal).find((o) => o.method === (choice.shippingMethod ?? 'standard'))!;
  // An empty cart ships nothing.
  const shipping = subtotal === 0 ? 0 : option.rate;
  const taxRateBp = taxRateFor(settings, choice.state);
  const tax = applyRate(subtotal, taxRateBp);
  return {
    subtotal,
    shipping,
    tax,
    total: subtotal + shipping + tax,
    taxRateBp,
    lineTax: allocate(tax, lineTotals),
    freeShipping: option.free,
  };
}
