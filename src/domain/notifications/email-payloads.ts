// Payloads of the customer emails. Each arrives from a JSON outbox row, so every field is
// plain JSON: dates are ISO 8601 strings, money is integer cents with its currency code.
import type { StoreSettings } from '../settings/store-settings.ts';

/** What every template needs besides its payload. */
export type RenderContext = {
  settings: StoreSettings;
  /** The storefront's public base URL, e.g. https://casanovaspace.com */
  publicUrl: string;
  /** Service hours already formatted for people, one line each, in the shop's time zone. */
  serviceHoursLines: string[];
};

export type RenderedEmail = { subject: string; html: string; text: string };

/** A refund sent back to the card that paid. */
export type RefundInfo = { amount: number; currency: string; brand: string; last4: string };

export type OrderConfirmationPayload = {
  order: {
    number: string;
    createdAt: string;
    currency: string;
    items: Array<{
      name: string;
      sku: string;
      options: Record<string, string>;
      quantity: number;
      unitPrice: number;
      lineTotal: number;
    }>;
    subtotal: number;
    /** Absent from emails queued before discounts. */
    discount?: number;
    discountCode?: string | null;
    shipping: number;
    tax: number;
    total: number;
    shippingMethodLabel: string;
    shippingAddress: {
      name: string;
      line1: string;
      line2?: string | null;
      city: string;
      state: string;
      postalCode: string;
      country: string;
    };
    email: string;
    phone: string;
  };
  /** `captured: false` when the amount is only reserved until the parcel ships (settings.payments.capture). */
  payment: { brand: string; last4: string; amount: number; transactionId: string; createdAt: string; captured?: boolean };
  /** Tracking page link; already carries a signed token. */
  trackingUrl: string;
};

export type OrderShippedPayload = {
  orderNumber: string;
  carrier: string;
  trackingNumber: string;
  carrierTrackingUrl?: string | null;
  trackingUrl: string;
  items?: Array<{ name: string; quantity: number }> | null;
};

export type OrderDeliveredPayload = { orderNumber: string; trackingUrl: string; reportProblemUrl: string };

/** Shared by order_request_received, order_request_approved and order_request_declined. */
export type OrderRequestPayload = {
  orderNumber: string;
  requestType: 'cancel' | 'modify';
  caseNumber?: string | null;
  /** The customer's note (received), what was changed (approved) or why not (declined). */
  reason?: string | null;
  trackingUrl: string;
  refund?: RefundInfo | null;
  /** The changes cost more than was paid: the difference to pay, and where. */
  payment?: { amount: number; currency: string; url: string } | null;
};

export type OrderCancelledPayload = { orderNumber: string; trackingUrl: string; refund?: RefundInfo | null };

export type RefundIssuedPayload = {
  orderNumber: string;
  amount: number;
  currency: string;
  brand: string;
  last4: string;
  reason: string;
  trackingUrl: string;
};

/** Shared by the five return_* templates: one after-sales case at different stages. */
export type ReturnCasePayload = {
  caseNumber: string;
  orderNumber: string;
  type: 'return' | 'exchange' | 'refund';
  items: Array<{ name: string; quantity: number }>;
  reason?: string | null;
  rmaNumber?: string | null;
  refund?: RefundInfo | null;
  /** A prepaid return label to print (approved returns and exchanges, when the shop bought one). */
  returnLabelUrl?: string | null;
  trackingUrl: string;
};

export type DeliveryProblemPayload = { caseNumber: string; orderNumber: string; problem: string; trackingUrl: string };

export type ContactAcknowledgementPayload = {
  caseNumber: string;
  name: string;
  topic: string;
  /** Already formatted for people, e.g. "Monday 11:00 ET". */
  expectedReplyBy: string;
  message: string;
};

export type SupportReplyPayload = {
  caseNumber: string;
  name: string;
  /** Plain text written by staff; newlines are kept. */
  body: string;
  orderNumber?: string | null;
};

/**
 * A payment went through but no order could be made from it (the last units sold meanwhile,
 * or the cart had already been paid for): the money goes back and the shopper is told.
 */
export type PaymentReleasedPayload = {
  amount: number;
  currency: string;
  brand: string;
  last4: string;
  reason: 'out_of_stock' | 'duplicate' | 'discount_used_up';
  /** What could not be had, for out_of_stock ("Linen Throw (Sand): sold out"). */
  detail: string;
  /** Authorized payments are released, captured ones refunded. */
  refunded: boolean;
  cartUrl: string;
};

/** Template name → payload type: the contract between the outbox and the renderer. */
/** "Email me a sign-in link": the link, or word that no order uses this address (same request, same work). */
export type CustomerSignInPayload = {
  /** Absent when no order was placed with the address: the email then says so instead. */
  signInUrl?: string;
  expiresInMinutes: number;
};

/** One reminder after a checkout left without paying. */
export type CartReminderPayload = {
  items: Array<{ name: string; quantity: number; unitPrice: number; currency: string }>;
  /** Price and stock changes since the shopper was at checkout, already in words. */
  changes: string[];
  restoreUrl: string;
  unsubscribeUrl: string;
};

/** To a customer who ordered by phone: the agreed order and the link to pay for it. */
export type PaymentLinkPayload = {
  items: Array<{ name: string; quantity: number; unitPrice: number }>;
  subtotal: number;
  shipping: number;
  tax: number;
  total: number;
  currency: string;
  /** The shipping address, one line each. */
  address: string[];
  payUrl: string;
  /** "Sunday, December 13": the last day the link opens a payment. */
  expiresOn: string;
};

/** To the owners: a webhook endpoint kept failing and was switched off. */
export type WebhookDisabledPayload = { url: string; reason: string; manageUrl: string };

export type TemplatePayloads = {
  order_confirmation: OrderConfirmationPayload;
  order_shipped: OrderShippedPayload;
  order_delivered: OrderDeliveredPayload;
  order_request_received: OrderRequestPayload;
  order_request_approved: OrderRequestPayload;
  order_request_declined: OrderRequestPayload;
  order_cancelled: OrderCancelledPayload;
  refund_issued: RefundIssuedPayload;
  return_received: ReturnCasePayload;
  return_approved: ReturnCasePayload;
  return_declined: ReturnCasePayload;
  return_refunded: ReturnCasePayload;
  return_exchanged: ReturnCasePayload;
  delivery_problem_received: DeliveryProblemPayload;
  contact_acknowledgement: ContactAcknowledgementPayload;
  support_reply: SupportReplyPayload;
  payment_released: PaymentReleasedPayload;
  customer_sign_in: CustomerSignInPayload;
  cart_reminder: CartReminderPayload;
  payment_link: PaymentLinkPayload;
  webhook_disabled: WebhookDisabledPayload;
};

export type TemplateName = keyof TemplatePayloads;
