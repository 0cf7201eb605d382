// The shipping aggregator behind labels and automatic tracking, as a small interface. The
// built-in default ("none") buys nothing: staff type the carrier and tracking number from a
// label they made elsewhere, as the shop always did. EasyPost (easypost-provider.ts) is the
// first real adapter; another aggregator is one more file implementing this.
import type { LabelRate } from '../../db/schema.ts';
import { DomainError } from '../shared/errors.ts';
import type { CarrierEventStatus } from './carrier-events.ts';

export type PostalAddress = {
  name: string;
  company?: string;
  line1: string;
  line2?: string;
  city: string;
  state: string;
  postalCode: string;
  country: 'US';
  phone?: string;
  email?: string;
};

/** What goes on the scale and the tape measure: grams and millimetres. */
export type ParcelSize = { weightGrams: number; lengthMm: number; widthMm: number; heightMm: number };

/** The provider's verdict on an address; `reason` is written for staff. */
export type AddressCheck = { ok: true } | { ok: false; reason: string };

export type RateQuote = {
  /** The provider's own shipment, to buy one of its rates later. */
  providerShipmentId: string;
  rates: LabelRate[];
};

export type PurchasedLabel = {
  providerShipmentId: string;
  /** As the provider names it (USPS, UPS, FedEx, DHLExpress, …). */
  carrier: string;
  service: string;
  /** Postage, in cents. */
  amount: number;
  trackingNumber: string;
  trackerId: string | null;
  /** The label itself. */
  pdf: Buffer;
};

export type TrackerEvent = { status: CarrierEventStatus; occurredAt: Date; location: string; description: string };

/** One verified tracking update: the parcel and its whole history so far, as the provider knows it. */
export type TrackerUpdate = { trackerId: string; trackingNumber: string; carrier: string; events: TrackerEvent[] };

export interface ShippingProvider {
  /** Stored with each label: "easypost". */
  readonly name: string;
  /** False for the built-in default, whose order page keeps the typed handover only. */
  readonly buysLabels: boolean;
  verifyAddress(to: PostalAddress): Promise<AddressCheck>;
  /** Rates for one parcel from `from` to `to`; `reference` is our label id, shown in the provider's dashboard. */
  rates(input: { from: PostalAddress; to: PostalAddress; parcel: ParcelSize; reference: string }): Promise<RateQuote>;
  /**
   * Buys the chosen rate. Safe to call again with the same key after a timeout: a shipment
   * that already has postage is returned as it is, never bought a second time.
   */
  buyLabel(input: { providerShipmentId: string; rateId: string; idempotencyKey: string }): Promise<PurchasedLabel>;
  /** Asks for the postage back (an unused label). `refunded` false: the provider refused (e.g. already scanned). */
  voidLabel(providerShipmentId: string): Promise<{ refunded: boolean; status: string }>;
  /** A prepaid label for the customer to send goods back to the shop (the cheapest rate). */
  createReturnLabel(input: { shop: PostalAddress; customer: PostalAddress; parcel: ParcelSize; reference: string }): Promise<PurchasedLabel>;
  /** Checks the webhook's signature on the exact bytes received; throws `unauthorized` when it does not match. Null: not a tracking event. */
  parseTrackerWebhook(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): TrackerUpdate | null;
}

const notConfigured = () =>
  new DomainError('unavailable', 'No shipping provider is set up, so labels cannot be bought here: set EASYPOST_API_KEY, or hand the order over with the carrier and tracking number from your own label.');

/** The default: no aggregator. Addresses pass (nobody can check them), buying is refused with what to do instead. */
export const noShippingProvider: ShippingProvider = {
  name: 'none',
  buysLabels: false,
  async verifyAddress() {
    return { ok: true };
  },
  async rates() {
    throw notConfigured();
  },
  async buyLabel() {
    throw notConfigured();
  },
  async voidLabel() {
    throw notConfigured();
  },
  async createReturnLabel() {
    throw notConfigured();
  },
  parseTrackerWebhook() {
    throw notConfigured();
  },
};

/** The provider could not be reached or did not answer in time: nothing is known to have happened. */
export class ShippingProviderUnavailable extends DomainError {
  constructor(what: string, cause?: unknown) {
    super('unavailable', `${what}: the shipping provider did not answer in time. Try again; a label is never bought twice.`);
    this.cause = cause;
  }
}
