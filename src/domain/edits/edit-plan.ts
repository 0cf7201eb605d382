// What a staff edit does to an order, worked out before anything is written: a new shipping
// address (validated like checkout), quantities raised or lowered, lines added or removed,
// a price overridden with a reason; the lines and totals afterwards (tax and shipping
// recomputed as checkout does, at the tax rate and shipping rate the order was sold at),
// the stock to take or give back, and the money: refunded when the total falls, to collect
// when it rises. Pure: the preview and the confirmation run the same plan.
import type { Address } from '../../db/schema.ts';
import { MAX_PER_LINE } from '../cart/cart-service.ts';
import { lineName } from '../checkout/checkout-snapshot.ts';
import { computeTotals, type Totals } from '../checkout/totals.ts';
import { parseAddress, sameAddress, taxAsOrdered } from '../requests/modification.ts';
import type { ShippingMethod, StoreSettings } from '../settings/store-settings.ts';
import { validationFailed, type FieldErrors } from '../shared/errors.ts';
import { formatMoney } from '../shared/money.ts';

/** What staff ask for: the final quantity (and optionally price) of each SKU named; SKUs not named stay as they are. */
export type EditRequest = {
  shippingAddress?: unknown;
  items?: { sku: string; quantity: number; unitPrice?: number; priceReason?: string }[];
};

export type EditOrder = {
  currency: string;
  shippingAddress: Address;
  shippingMethod: string;
  shipping: number;
  taxRateBp: number;
  total: number;
  /** The discount given at checkout and its code (a code with 0 off the goods was free shipping). */
  discount?: number;
  discountCode?: string | null;
};

/** A line as it is on the order, or as it would be added from the catalog (no id). */
export type EditLine = {
  id?: string;
  variantId: string | null;
  sku: string;
  productName: string;
  productSlug: string;
  options: Record<string, string>;
  unitPrice: number;
  quantity: number;
  taxCategory: string;
  weightGrams?: number | null;
  /** The line's share of the order's discount (0 for a line added by the edit). */
  discount?: number;
};

/** A variant that can be added, with what is on the shelf now. */
export type CatalogVariant = Omit<EditLine, 'id' | 'quantity'> & { variantId: string; available: number };

export type PlannedEditLine = EditLine & { lineTotal: number; tax: number; discount: number };

export type EditPlan = {
  address: Address;
  /** The lines afterwards (quantity > 0), in order: existing first, then added ones. */
  lines: PlannedEditLine[];
  /** Ids of existing lines that go. */
  removedIds: string[];
  /** Units to take from (positive) or give back to (negative) each variant's stock. */
  stock: { variantId: string; sku: string; delta: number }[];
  totals: Totals;
  /** The change in words, one line each (for the timeline and the customer's email). */
  changes: string[];
  /** Prices set by hand, with why. */
  overrides: { sku: string; from: number; to: number; reason: string }[];
  /** new total − what was paid: negative is refunded, positive must be collected. */
  difference: number;
};

export const PRICE_REASON_MAX = 200;

/**
 * Checks a staff edit against the order as it is and works out the result. Throws
 * `validation_failed` (422) naming each field: an unknown SKU, a quantity that is not a whole
 * number from 0 to MAX_PER_LINE, more units than the shelf holds, a price override without a
 * reason, every line removed, or nothing to change.
 */
export function planStaffEdit(settings: StoreSettings, order: EditOrder, current: EditLine[], catalog: Map<string, CatalogVariant>, req: EditRequest): EditPlan {
  const errors: FieldErrors = {};
  const parsed = req.shippingAddress === undefined ? undefined : parseAddress(req.shippingAddress, errors, 'shippingAddress');
  const newAddress = parsed && !sameAddress(parsed, order.shippingAddress) ? parsed : undefined;

  const lines: EditLine[] = current.map((l) => ({ ...l }));
  const overrides: EditPlan['overrides'] = [];
  const seen = new Set<string>();
  (req.items ?? []).forEach((item, i) => {
    const sku = String(item.sku ?? '').trim().toUpperCase();
    const at = `items.${i}`;
    if (seen.has(sku)) return void (errors[`${at}.sku`] = `${sku} is listed twice: give each item once, with its final quantity.`);
    seen.add(sku);
    if (!Number.isInteger(item.quantity) || item.quantity < 0 || item.quantity > MAX_PER_LINE) {
      return void (errors[`${at}.quantity`] = `Enter a whole number from 0 (remove) to ${MAX_PER_LINE}.`);
    }
    let line = lines.find((l) => l.sku === sku);
    if (!line) {
      const variant = catalog.get(sku);
      if (!variant) return void (errors[`${at}.sku`] = `There is no product with SKU ${sku} for sale.`);
      if (item.quantity === 0) return;
      line = { ...variant, quantity: 0 };
      lines.push(line);
    }
    if (item.unitPrice !== undefined && item.unitPrice !== line.unitPrice) {
      const reason = (item.priceReason ?? '').trim();
      if (!Number.isSafeInteger(item.unitPrice) || item.unitPrice < 0) errors[`${at}.unitPrice`] = 'Enter a price of $0.00 or more.';
      else if (!reason) errors[`${at}.priceReason`] = 'Say why the price changes: it is kept on the timeline.';
      else if (reason.length > PRICE_REASON_MAX) errors[`${at}.priceReason`] = `Use at most ${PRICE_REASON_MAX} characters.`;
      else {
        overrides.push({ sku, from: line.unitPrice, to: item.unitPrice, reason });
        line.unitPrice = item.unitPrice;
      }
    }
    const before = current.find((l) => l.sku === sku)?.quantity ?? 0;
    const more = item.quantity - before;
    const variant = catalog.get(sku);
    if (more > 0 && (!variant || more > variant.available)) {
      errors[`${at}.quantity`] = `Only ${variant?.available ?? 0} more of ${sku} in stock: at most ${before + (variant?.available ?? 0)} in all.`;
    }
    line.quantity = item.quantity;
  });
  if (Object.keys(errors).length) throw validationFailed(errors, 'The edit was not made.');

  const kept = lines.filter((l) => l.quantity > 0);
  if (kept.length === 0) throw validationFailed({ items: 'That would remove every item: cancel the order instead.' }, 'The edit was not made.');

  const shipTo = newAddress ?? order.shippingAddress;
  // The discount given at checkout stays with the units kept (pro rata when fewer, as a refund
  // of units reckons it; no more when more); added lines get none; free shipping stays free.
  const before = (l: EditLine) => current.find((c) => c.sku === l.sku);
  const keptDiscount = (l: EditLine) => {
    const had = before(l);
    if (!had?.discount || had.quantity === 0) return 0;
    return l.quantity >= had.quantity ? had.discount : Math.round((had.discount * l.quantity) / had.quantity);
  };
  const freeShipping = !!order.discountCode && !order.discount;
  const totals = computeTotals(
    taxAsOrdered(settings, order, shipTo.state),
    kept.map((l) => ({ unitPrice: l.unitPrice, quantity: l.quantity, taxCategory: l.taxCategory, weightGrams: l.weightGrams })),
    {
      shippingMethod: order.shippingMethod as ShippingMethod,
      state: shipTo.state,
      shippingRate: order.shipping,
      ...(freeShipping ? { discount: { kind: 'free_shipping' as const, value: 0 } } : { lineDiscounts: kept.map(keptDiscount) }),
    },
  );

  const changes: string[] = [];
  if (newAddress) changes.push(`Ship to ${newAddress.name}, ${newAddress.line1}${newAddress.line2 ? `, ${newAddress.line2}` : ''}, ${newAddress.city}, ${newAddress.state} ${newAddress.postalCode}`);
  const stock: EditPlan['stock'] = [];
  for (const l of lines) {
    const before = current.find((c) => c.sku === l.sku)?.quantity ?? 0;
    if (l.quantity !== before) {
      changes.push(before === 0 ? `Add ${l.quantity} × ${lineName(l)}` : l.quantity === 0 ? `Remove ${lineName(l)} (${before})` : `${lineName(l)}: ${before} → ${l.quantity}`);
      if (l.variantId) stock.push({ variantId: l.variantId, sku: l.sku, delta: l.quantity - before });
    }
  }
  for (const o of overrides) changes.push(`Price of ${o.sku}: ${formatMoney(o.from, order.currency)} → ${formatMoney(o.to, order.currency)} (${o.reason})`);
  if (changes.length === 0) throw validationFailed({ items: 'Nothing to change: give a new address, a quantity, an item to add or a price.' }, 'The edit changes nothing.');

  const taxOf = new Map(kept.map((l, i) => [l, totals.lineTax[i]!]));
  return {
    address: shipTo,
    lines: kept.map((l, i) => ({ ...l, lineTotal: l.unitPrice * l.quantity, tax: taxOf.get(l)!, discount: totals.lineDiscount[i]! })),
    removedIds: lines.filter((l) => l.quantity === 0 && l.id).map((l) => l.id!),
    stock,
    totals,
    changes,
    overrides,
    difference: totals.total - order.total,
  };
}
