// The rules of after-sales that are plain arithmetic: the reasons a customer can give, the
// return window counted from delivery in the shop's time zone, and what a return refunds
// (the unit prices paid plus their share of tax, shipping by policy, less a restocking fee).
// Pure: the service reads the rows and the settings, these functions decide.
import { DateTime } from 'luxon';
import type { StoreSettings } from '../settings/store-settings.ts';
import { applyRate } from '../shared/money.ts';
import { refundJurisdictions, type TaxJurisdiction } from '../tax/tax-table.ts';
import { MAX_UPLOAD_BYTES } from '../storage/images.ts';

/** Why the customer wants to send something back, in the words they pick from. */
export const RETURN_REASONS = {
  damaged: 'Arrived damaged',
  defective: 'Defective or does not work',
  wrong_item: 'Wrong item sent',
  not_as_described: 'Not as described',
  missing_item: 'Item missing from the parcel',
  no_longer_needed: 'No longer needed',
  other: 'Something else',
} as const;
export type ReturnReason = keyof typeof RETURN_REASONS;
export const RETURN_REASON_NAMES = Object.keys(RETURN_REASONS) as ReturnReason[];
export const isReturnReason = (s: unknown): s is ReturnReason => typeof s === 'string' && Object.hasOwn(RETURN_REASONS, s);

/**
 * Reasons where the mistake was ours: no restocking fee, and the shipping charge goes back
 * (as the returns policy promises), whatever settings.returns.refundShipping says.
 */
export const OUR_MISTAKE: readonly ReturnReason[] = ['damaged', 'defective', 'wrong_item', 'not_as_described', 'missing_item'];

/** What staff find when the parcel comes back. */
export const RECEIVED_CONDITIONS = {
  /** As new: back on the shelf (stock ledger "restock"). */
  resellable: 'Resellable',
  /** Cannot be sold again: written off (stock ledger "write_off", stock unchanged). */
  damaged: 'Damaged',
} as const;
export type ReceivedCondition = keyof typeof RECEIVED_CONDITIONS;
export const isReceivedCondition = (s: unknown): s is ReceivedCondition => typeof s === 'string' && Object.hasOwn(RECEIVED_CONDITIONS, s);

export const MAX_RETURN_PHOTOS = 5;
export const RETURN_PHOTO_MAX_BYTES = MAX_UPLOAD_BYTES;
export const CONDITION_MAX = 2000;
export const STAFF_TEXT_MAX = 500;

/**
 * The first instant after the return window: the window runs to the end of the day, in the
 * shop's time zone, `windowDays` days after the day of delivery.
 */
export function returnWindowEnd(deliveredAt: Date, windowDays: number, timeZone: string): Date {
  return DateTime.fromJSDate(deliveredAt, { zone: timeZone }).startOf('day').plus({ days: windowDays + 1 }).toJSDate();
}

/** "Wednesday, April 2" in the shop's time zone: the last day a return can be asked for. */
export function lastReturnDay(windowEnd: Date, timeZone: string): string {
  return DateTime.fromJSDate(new Date(windowEnd.getTime() - 1), { zone: timeZone }).setLocale('en-US').toFormat('cccc, LLLL d');
}

/** One order line as far as a refund is concerned. */
export type RefundableLine = {
  sku: string;
  unitPrice: number;
  /** Units of the line in this case. */
  quantity: number;
  /** Units bought on the line, and the line's tax and discount shares. */
  lineQuantity: number;
  lineTax: number;
  lineDiscount?: number;
  /** Units of the line refunded by earlier cases. */
  refundedBefore: number;
};

export type RefundQuote = {
  lines: { sku: string; quantity: number; goods: number; tax: number }[];
  goods: number;
  /** The lines' tax plus, when shipping goes back, the tax charged on it. */
  tax: number;
  shipping: number;
  /** `tax` by taxing authority, exact across all of the order's refunds. */
  jurisdictions: { code: string; tax: number }[];
  /** Restocking fee taken off, cents (0 when none applies). */
  fee: number;
  /** goods + tax + shipping − fee: what goes back to the card. */
  amount: number;
};

/**
 * Tax of the first `units` units of a line: the line's tax pro rata, rounded. Refunding in
 * steps takes the difference of two such values, so however the units are split over cases,
 * refunding all of them returns exactly the line's tax.
 */
const taxOfUnits = (line: RefundableLine, units: number) => shareOfUnits(line.lineTax, line, units);

/** The first `units` units' part of a line amount (its tax or its discount), pro rata, rounded. */
const shareOfUnits = (amount: number, line: RefundableLine, units: number) => (line.lineQuantity > 0 ? Math.round((amount * units) / line.lineQuantity) : 0);

/** The discount on the first `units` units, taken the same way as tax: refunding every unit gives back exactly what was paid. */
const discountOfUnits = (line: RefundableLine, units: number) => shareOfUnits(line.lineDiscount ?? 0, line, units);

/** How the order's tax was split (its jurisdictions) and how much of it earlier refunds gave back. */
export type OrderTax = { jurisdictions: TaxJurisdiction[]; refundedBefore: number };

/**
 * The refund for these lines: price paid (the unit price less the units' share of the line's
 * discount) and tax share per unit, plus `shipping` and its tax, less the fee on the goods;
 * the tax split over the order's jurisdictions.
 */
export function quoteRefund(
  lines: RefundableLine[],
  opts: { shipping: number; shippingTax: number; restockingFeeBp: number },
  orderTax: OrderTax = { jurisdictions: [], refundedBefore: 0 },
): RefundQuote {
  const quoted = lines.map((l) => ({
    sku: l.sku,
    quantity: l.quantity,
    goods: l.unitPrice * l.quantity - (discountOfUnits(l, l.refundedBefore + l.quantity) - discountOfUnits(l, l.refundedBefore)),
    tax: taxOfUnits(l, l.refundedBefore + l.quantity) - taxOfUnits(l, l.refundedBefore),
  }));
  const goods = quoted.reduce((n, l) => n + l.goods, 0);
  const tax = quoted.reduce((n, l) => n + l.tax, 0) + opts.shippingTax;
  const fee = applyRate(goods, opts.restockingFeeBp);
  const jurisdictions = refundJurisdictions(orderTax.jurisdictions, orderTax.refundedBefore, tax);
  return { lines: quoted, goods, tax, shipping: opts.shipping, jurisdictions, fee, amount: goods + tax + opts.shipping - fee };
}

/** The store's policy for one case: the fee only when the customer changed their mind; shipping by setting or our mistake. */
export function refundPolicy(settings: StoreSettings, reason: string, order: { shipping: number; shippingTax: number }, shippingRefundedBefore: boolean) {
  const ours = (OUR_MISTAKE as readonly string[]).includes(reason);
  const back = !shippingRefundedBefore && (settings.returns.refundShipping || ours);
  return {
    restockingFeeBp: ours ? 0 : settings.returns.restockingFeeBp,
    shipping: back ? order.shipping : 0,
    shippingTax: back ? order.shippingTax : 0,
  };
}
