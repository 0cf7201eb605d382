// Shipping prices: the flat standard/express rates, or, for a state in one of the store's
// zones, the rate of the parcel's weight bracket, with free standard shipping from the
// zone's (or the store's) threshold. Pure; totals.ts prices every order with it.
import type { ShippingMethod, ShippingZone, StoreSettings } from '../settings/store-settings.ts';

export const SHIPPING_METHODS = ['standard', 'express'] as const satisfies readonly ShippingMethod[];

/** A line as far as the parcel is concerned. */
export type ParcelLine = { quantity: number; weightGrams?: number | null };

/** What the rate depends on: the goods' value, the parcel's weight and where it goes. */
export type ParcelFacts = { subtotal: number; grams: number; state?: string };

/** One shipping choice as the shopper sees it, with the price for this parcel. */
export type ShippingOption = { method: ShippingMethod; label: string; days: string; rate: number; free: boolean; /** The rate before any free shipping. */ regular: number };

/** The parcel's weight: each unit's recorded weight, or the store's default for a variant with none. */
export const parcelGrams = (settings: StoreSettings, lines: ParcelLine[]) =>
  lines.reduce((g, l) => g + (l.weightGrams ?? settings.shipping.defaultItemGrams) * l.quantity, 0);

export const zoneFor = (settings: StoreSettings, state: string | undefined): ShippingZone | undefined =>
  state ? settings.shipping.zones.find((z) => z.states.includes(state)) : undefined;

/** The subtotal from which standard shipping to `state` is free (null: never). */
export function freeStandardFrom(settings: StoreSettings, state: string | undefined): number | null {
  const zone = zoneFor(settings, state);
  return zone && zone.freeStandardFrom !== undefined ? zone.freeStandardFrom : settings.shipping.freeStandardFrom;
}

const isFree = (from: number | null, subtotal: number) => from !== null && subtotal > 0 && subtotal >= from;

export function shippingOptions(settings: StoreSettings, parcel: ParcelFacts): ShippingOption[] {
  const bracket = zoneFor(settings, parcel.state)?.brackets.find((b) => b.upToGrams === null || parcel.grams <= b.upToGrams);
  const from = freeStandardFrom(settings, parcel.state);
  return SHIPPING_METHODS.map((method) => {
    const m = settings.shipping.methods[method];
    const free = method === 'standard' && isFree(from, parcel.subtotal);
    const rate = bracket ? bracket[method] : m.rate;
    return { method, label: m.label, days: m.days, rate: free ? 0 : rate, free, regular: rate };
  });
}

/** Cents still to add before standard shipping is free; undefined when it already is or there is no threshold. */
export function amountToFreeShipping(settings: StoreSettings, parcel: ParcelFacts): number | undefined {
  const from = freeStandardFrom(settings, parcel.state);
  return from === null || isFree(from, parcel.subtotal) ? undefined : from - parcel.subtotal;
}

const GRAMS_PER = { g: 1, kg: 1000, oz: 28.349523125, lb: 453.59237 } as const;

/** "1.5 kg", "500 g", "2 lb", "4.2 lbs" → grams (rounded), or undefined when it is not a weight. */
export function gramsOf(value: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(g|kg|oz|lbs?)$/i.exec(value.trim());
  if (!m) return undefined;
  const unit = m[2]!.toLowerCase().replace(/^lbs$/, 'lb') as keyof typeof GRAMS_PER;
  const grams = Math.round(Number(m[1]) * GRAMS_PER[unit]);
  return grams > 0 ? grams : undefined;
}
