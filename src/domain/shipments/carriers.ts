// The carriers staff can hand a parcel to, how their tracking numbers look, and where a
// customer can follow the parcel on the carrier's own site. Pure: no I/O.
// Checks are deliberately loose (shape only, no check digits): a typo that still fits the
// shape gets through, but a number pasted into the wrong carrier or cut short is caught.

export const CARRIERS = ['UPS', 'USPS', 'FedEx', 'DHL', 'other'] as const;
export type Carrier = (typeof CARRIERS)[number];

type CarrierRule = {
  /** Shown to staff in the select and on the order page. */
  label: string;
  /** Named to the customer in emails and on the tracking page. */
  customerName: string;
  /** Accepted shapes after normalisation (spaces removed, upper case). */
  patterns: RegExp[];
  /** What staff are told when the number does not fit. */
  expected: string;
  /** The carrier's public tracking page, `{n}` replaced by the tracking number. */
  urlTemplate?: string;
};

const RULES: Record<Carrier, CarrierRule> = {
  UPS: {
    label: 'UPS',
    customerName: 'UPS',
    patterns: [/^1Z[0-9A-Z]{16}$/],
    expected: '“1Z” followed by 16 letters or digits',
    urlTemplate: 'https://www.ups.com/track?tracknum={n}',
  },
  USPS: {
    label: 'USPS',
    customerName: 'USPS',
    patterns: [/^\d{20,22}$/, /^[A-Z]{2}\d{9}US$/],
    expected: '20–22 digits, or 2 letters, 9 digits and “US”',
    urlTemplate: 'https://tools.usps.com/go/TrackConfirmAction?tLabels={n}',
  },
  FedEx: {
    label: 'FedEx',
    customerName: 'FedEx',
    patterns: [/^(\d{12}|\d{15}|\d{20})$/],
    expected: '12, 15 or 20 digits',
    urlTemplate: 'https://www.fedex.com/fedextrack/?trknbr={n}',
  },
  DHL: {
    label: 'DHL',
    customerName: 'DHL',
    patterns: [/^\d{10}$/],
    expected: '10 digits',
    urlTemplate: 'https://www.dhl.com/us-en/home/tracking/tracking-express.html?submit=1&tracking-id={n}',
  },
  other: {
    label: 'Other carrier',
    customerName: 'our delivery partner',
    // Local couriers use all sorts of references; keep them printable and of sane length.
    patterns: [/^[A-Z0-9-]{5,40}$/],
    expected: '5–40 letters, digits or dashes',
  },
};

export const isCarrier = (value: unknown): value is Carrier => typeof value === 'string' && (CARRIERS as readonly string[]).includes(value);

export const carrierLabel = (carrier: string) => (isCarrier(carrier) ? RULES[carrier].label : carrier);

/** How the carrier is named to customers ("UPS", or "our delivery partner" for other carriers). */
export const carrierCustomerName = (carrier: string) => (isCarrier(carrier) ? RULES[carrier].customerName : carrier);

/** Staff type or paste numbers with spaces and in any case: "1z 999 aa1…" → "1Z999AA1…". */
export const normalizeTrackingNumber = (raw: string) => raw.replace(/\s+/g, '').toUpperCase();

/** Why a (normalised) tracking number does not fit the carrier, in words staff can act on; undefined when it fits. */
export function trackingNumberProblem(carrier: Carrier, trackingNumber: string): string | undefined {
  if (trackingNumber === '') return 'Enter the tracking number from the label.';
  const rule = RULES[carrier];
  if (rule.patterns.some((p) => p.test(trackingNumber))) return undefined;
  return `This does not look like a ${rule.label} tracking number (expected ${rule.expected}).`;
}

/** The carrier's public tracking page for this parcel; null for carriers without one. */
export function carrierTrackingUrl(carrier: string, trackingNumber: string): string | null {
  const template = isCarrier(carrier) ? RULES[carrier].urlTemplate : undefined;
  return template ? template.replace('{n}', encodeURIComponent(trackingNumber)) : null;
}
