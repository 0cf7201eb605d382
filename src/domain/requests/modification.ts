// What a change request does to an order, worked out before anything is written: which
// changes are allowed (a new shipping address validated like checkout, lower quantities,
// removed items), the order's lines and totals afterwards, and the money that goes back.
// Pure: the request is checked with it when the customer asks and again when it is
// approved, against the order as it is then.
import type { Address } from '../../db/schema.ts';
import { fieldErrors, shippingAddressSchema } from '../checkout/checkout-input.ts';
import { computeTotals, type Totals } from '../checkout/totals.ts';
import type { ShippingMethod, StoreSettings } from '../settings/store-settings.ts';
import { formatMoney } from '../shared/money.ts';
import { validationFailed, type FieldErrors } from '../shared/errors.ts';

/** What a customer may ask to change, as sent (the address is checked here, like checkout). */
export type RequestedChanges = {
  shippingAddress?: unknown;
  items?: { sku: string; quantity: number }[];
};

/** The changes as stored with the request: only what really changes, with what it was before. */
export type StoredChanges = {
  shippingAddress?: Address;
  previousAddress?: Address;
  items?: { sku: string; name: string; from: number; quantity: number }[];
};

/** The order as the plan needs it. */
export type OrderForChange = {
  currency: string;
  shippingAddress: Address;
  shippingMethod: string;
  shipping: number;
  taxRateBp: number;
  total: number;
  /** The discount given at checkout (absent: none), and its code (a code with 0 off the goods was free shipping). */
  discount?: number;
  discountCode?: string | null;
};

/** One line of the order as it is now. */
export type CurrentLine = { id: string; sku: string; name: string; unitPrice: number; quantity: number; taxCategory?: string; /** The line's share of the order's discount. */ discount?: number };

export type PlannedLine = {
  id: string;
  sku: string;
  /** 0 when the line is removed. */
  quantity: number;
  lineTotal: number;
  /** The kept units' share of the line's discount. */
  discount: number;
  tax: number;
  /** Units going back on the shelf. */
  removed: number;
};

export type ModificationPlan = {
  changes: StoredChanges;
  address: Address;
  lines: PlannedLine[];
  totals: Totals;
  /** What the customer gets back: the old total minus the new one (never negative). */
  refund: number;
};

export const sameAddress = (a: Address, b: Address) =>
  a.name === b.name && a.line1 === b.line1 && (a.line2 ?? '') === (b.line2 ?? '') && a.city === b.city && a.state === b.state && a.postalCode === b.postalCode;

/**
 * The tax rate the order was sold at (unless the parcel now goes to another state, which has
 * its own rate): a later rate change in the settings never reaches an order being trimmed.
 * The shipping rate paid at checkout is kept the same way (TotalsChoice.shippingRate).
 */
export function taxAsOrdered(settings: StoreSettings, order: Pick<OrderForChange, 'shippingAddress' | 'taxRateBp'>, state: string): StoreSettings {
  return state === order.shippingAddress.state ? { ...settings, taxRates: { ...settings.taxRates, [state]: order.taxRateBp } } : settings;
}

/** Parses a new address; field errors are named `<prefix>.<field>` (default `changes.shippingAddress`). */
export function parseAddress(raw: unknown, errors: FieldErrors, prefix = 'changes.shippingAddress'): Address | undefined {
  const parsed = shippingAddressSchema.safeParse(raw);
  if (!parsed.success) {
    for (const [field, message] of Object.entries(fieldErrors(parsed.error))) errors[`${prefix}${field === 'request' ? '' : `.${field}`}`] ??= message;
    return undefined;
  }
  const address: Address = { ...parsed.data };
  if (!address.line2) delete address.line2;
  return address;
}

/**
 * Checks a change request against the order as it is and works out the result. Throws
 * `validation_failed` (422) naming each field that asks for something not allowed: an item
 * that is not in the order, a quantity above what was ordered, every item removed ("ask to
 * cancel instead"), nothing to change, or a result that would cost more than was paid.
 */
export function planModification(settings: StoreSettings, order: OrderForChange, current: CurrentLine[], requested: RequestedChanges): ModificationPlan {
  const errors: FieldErrors = {};
  const address = requested.shippingAddress === undefined ? undefined : parseAddress(requested.shippingAddress, errors);

  const wanted = new Map<string, number>();
  (requested.items ?? []).forEach((item, i) => {
    const line = current.find((l) => l.sku === item.sku);
    if (!line) errors[`changes.items.${i}.sku`] = `${item.sku} is not in this order. Items cannot be added after checkout: place a new order for them.`;
    else if (wanted.has(line.sku)) errors[`changes.items.${i}.sku`] = `${line.sku} is listed twice: give each item once, with the quantity you want.`;
    else if (!Number.isInteger(item.quantity) || item.quantity < 0) errors[`changes.items.${i}.quantity`] = 'Enter a whole number of units, 0 to remove the item.';
    else if (item.quantity > line.quantity) {
      errors[`changes.items.${i}.quantity`] = `You ordered ${line.quantity} × ${line.name}: a change can only lower the quantity. For more, place a new order.`;
    } else wanted.set(line.sku, item.quantity);
  });
  if (Object.keys(errors).length) throw validationFailed(errors, 'Some of the requested changes are not possible.');

  const changedItems = current.filter((l) => wanted.has(l.sku) && wanted.get(l.sku) !== l.quantity);
  const newAddress = address && !sameAddress(address, order.shippingAddress) ? address : undefined;
  if (!newAddress && changedItems.length === 0) {
    throw validationFailed({ changes: 'Nothing to change: give a new shipping address or lower a quantity.' }, 'The request changes nothing.');
  }
  const quantityOf = (l: CurrentLine) => wanted.get(l.sku) ?? l.quantity;
  if (current.every((l) => quantityOf(l) === 0)) {
    throw validationFailed({ 'changes.items': 'That would remove every item. To stop the whole order, ask to cancel it instead.' }, 'Ask to cancel instead.');
  }

  const shipTo = newAddress ?? order.shippingAddress;
  const kept = current.filter((l) => quantityOf(l) > 0);
  // The discount stays with the units kept (pro rata, as a refund of units reckons it), and free shipping stays free.
  const keptDiscount = (l: CurrentLine) => (l.quantity > 0 ? Math.round(((l.discount ?? 0) * quantityOf(l)) / l.quantity) : 0);
  const freeShipping = !!order.discountCode && !order.discount;
  const totals = computeTotals(
    taxAsOrdered(settings, order, shipTo.state),
    kept.map((l) => ({ unitPrice: l.unitPrice, quantity: quantityOf(l), taxCategory: l.taxCategory })),
    {
      shippingMethod: order.shippingMethod as ShippingMethod,
      state: shipTo.state,
      shippingRate: order.shipping,
      ...(freeShipping ? { discount: { kind: 'free_shipping' as const, value: 0 } } : { lineDiscounts: kept.map(keptDiscount) }),
    },
  );
  if (totals.total > order.total) {
    // Lowering a quantity can cost free shipping; a new state can carry a higher tax rate.
    throw validationFailed(
      {
        changes: `With these changes the order would cost ${formatMoney(totals.total, order.currency)}, more than the ${formatMoney(order.total, order.currency)} you paid, and we cannot charge more after checkout. Keep more items, or ask to cancel and order again.`,
      },
      'The change would cost more than was paid.',
    );
  }

  const taxOf = new Map(kept.map((l, i) => [l.id, totals.lineTax[i]!]));
  const lines = current.map((l) => {
    const quantity = quantityOf(l);
    return { id: l.id, sku: l.sku, quantity, lineTotal: l.unitPrice * quantity, discount: quantity > 0 ? keptDiscount(l) : 0, tax: taxOf.get(l.id) ?? 0, removed: l.quantity - quantity };
  });
  const changes: StoredChanges = {
    ...(newAddress ? { shippingAddress: newAddress, previousAddress: order.shippingAddress } : {}),
    ...(changedItems.length ? { items: changedItems.map((l) => ({ sku: l.sku, name: l.name, from: l.quantity, quantity: quantityOf(l) })) } : {}),
  };
  return { changes, address: shipTo, lines, totals, refund: order.total - totals.total };
}

/** Rebuilds what a stored request asked for, to plan it again against the order as it is now. */
export function requestedFromStored(changes: StoredChanges): RequestedChanges {
  return {
    ...(changes.shippingAddress ? { shippingAddress: changes.shippingAddress } : {}),
    ...(changes.items ? { items: changes.items.map((i) => ({ sku: i.sku, quantity: i.quantity })) } : {}),
  };
}

/**
 * The requested changes in words, one line each. `forCustomer` leaves out the street and the
 * name (the tracking view hides them, since its link can be forwarded).
 */
export function describeChanges(changes: StoredChanges | null | undefined, forCustomer = false): string[] {
  if (!changes) return [];
  const lines: string[] = [];
  const a = changes.shippingAddress;
  if (a) {
    const place = `${a.city}, ${a.state} ${a.postalCode}`;
    lines.push(forCustomer ? `New delivery address in ${place}` : `Ship to ${a.name}, ${a.line1}${a.line2 ? `, ${a.line2}` : ''}, ${place}`);
  }
  for (const i of changes.items ?? []) lines.push(i.quantity === 0 ? `Remove ${i.name} (${i.from} ordered)` : `${i.name}: ${i.from} → ${i.quantity}`);
  return lines;
}
