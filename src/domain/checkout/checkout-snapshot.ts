// What a payment session will become: the order exactly as the shopper saw it when they
// went to pay (contact, address, lines at their prices, totals). Kept with the payment, so
// the provider's webhook can place the order even if the shopper never comes back, and a
// cart changed in another tab meanwhile cannot change what was paid for.
import type { Address } from '../../db/schema.ts';
import type { ShippingMethod } from '../settings/store-settings.ts';
import type { CartLine } from '../cart/cart-service.ts';
import type { Totals } from './totals.ts';
import type { CheckoutInput } from './checkout-input.ts';
import type { AppliedDiscount } from '../discounts/discount-service.ts';

export type SnapshotLine = {
  variantId: string;
  sku: string;
  productName: string;
  productSlug: string;
  options: Record<string, string>;
  unitPrice: number;
  quantity: number;
  lineTotal: number;
  /** This line's share of the discount (absent from sessions opened before discounts). */
  discount?: number;
  /** This line's share of the tax, and the category it was taxed as. */
  tax: number;
  taxCategory?: string;
};

export type CheckoutSnapshot = {
  email: string;
  phone: string;
  shippingAddress: Address;
  shippingMethod: ShippingMethod;
  lines: SnapshotLine[];
  /** shippingTax, jurisdictions and discount are absent from sessions opened before they were recorded. */
  totals: Pick<Totals, 'subtotal' | 'shipping' | 'tax' | 'total' | 'taxRateBp'> & Partial<Pick<Totals, 'shippingTax' | 'jurisdictions' | 'discount'>>;
  /** The discount paid with; its redemption is taken in the order transaction. */
  discount?: AppliedDiscount;
};

export function snapshotOf(input: CheckoutInput, lines: CartLine[], totals: Totals, discount?: AppliedDiscount): CheckoutSnapshot {
  const address: Address = { ...input.shippingAddress };
  if (!address.line2) delete address.line2;
  return {
    email: input.email,
    phone: input.phone,
    shippingAddress: address,
    shippingMethod: input.shippingMethod,
    lines: lines.map((l, i) => ({
      variantId: l.variantId,
      sku: l.sku,
      productName: l.productName,
      productSlug: l.productSlug,
      options: l.options,
      unitPrice: l.unitPrice,
      quantity: l.quantity,
      lineTotal: l.lineTotal,
      discount: totals.lineDiscount[i]!,
      tax: totals.lineTax[i]!,
      taxCategory: l.taxCategory,
    })),
    totals: {
      subtotal: totals.subtotal,
      discount: totals.discount,
      shipping: totals.shipping,
      tax: totals.tax,
      total: totals.total,
      taxRateBp: totals.taxRateBp,
      shippingTax: totals.shippingTax,
      jurisdictions: totals.jurisdictions,
    },
    ...(discount ? { discount } : {}),
  };
}

/** "Linen Throw (Sand)": how a line is named to the shopper. */
export const lineName = (l: Pick<SnapshotLine, 'productName' | 'options'>) => {
  const options = Object.values(l.options).join(', ');
  return options ? `${l.productName} (${options})` : l.productName;
};
