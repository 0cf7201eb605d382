// The EasyPost fake's objects, shaped from EasyPost's API reference (https://docs.easypost.com/docs):
// Address with `verifications.delivery`, Shipment with `rates`, `selected_rate`, `postage_label`,
// `tracking_code`, `tracker` and `refund_status`, Tracker with `tracking_details`, and the Event
// that wraps a tracker in webhooks, signed as EasyPost signs them (X-Hmac-Signature:
// hmac-sha256-hex=<HMAC-SHA256 hex of the body, keyed with the webhook secret>).
import { createHmac, randomBytes } from 'node:crypto';

export const epId = (prefix: string) => `${prefix}_${randomBytes(16).toString('hex')}`;
export const isoNow = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export type EpAddress = Record<string, unknown> & { street1?: string; zip?: string; city?: string; state?: string };
export type EpRate = { id: string; object: 'Rate'; carrier: string; service: string; rate: string; currency: 'USD'; retail_rate: string; delivery_days: number; shipment_id: string; carrier_account_id: string; created_at: string };
export type EpTrackingDetail = {
  object: 'TrackingDetail';
  message: string;
  description: string;
  status: string;
  status_detail: string;
  datetime: string;
  source: string;
  tracking_location: { object: 'TrackingLocation'; city: string | null; state: string | null; country: string | null; zip: string | null };
};
export type EpTracker = {
  id: string;
  object: 'Tracker';
  mode: 'test';
  tracking_code: string;
  status: string;
  status_detail: string;
  carrier: string;
  shipment_id: string;
  weight: null;
  signed_by: string | null;
  est_delivery_date: string | null;
  public_url: string;
  tracking_details: EpTrackingDetail[];
  fees: [];
  created_at: string;
  updated_at: string;
};
export type EpShipment = {
  id: string;
  object: 'Shipment';
  mode: 'test';
  reference: string | null;
  is_return: boolean;
  status: string;
  from_address: EpAddress;
  to_address: EpAddress;
  parcel: Record<string, unknown>;
  rates: EpRate[];
  selected_rate: EpRate | null;
  postage_label: { id: string; object: 'PostageLabel'; label_url: string; label_file_type: 'application/pdf'; label_size: '4x6'; created_at: string } | null;
  tracking_code: string | null;
  tracker: EpTracker | null;
  refund_status: string | null;
  messages: [];
  fees: [];
  created_at: string;
  updated_at: string;
};
export type EpEvent = {
  id: string;
  object: 'Event';
  mode: 'test';
  description: string;
  previous_attributes: Record<string, unknown>;
  pending_urls: string[];
  completed_urls: string[];
  status: 'pending';
  result: EpTracker;
  created_at: string;
  updated_at: string;
};

/** Prices by weight (ounces) as a carrier table would: a base plus a step per pound. */
export function ratesFor(shipmentId: string, weightOz: number): EpRate[] {
  const pounds = Math.max(1, Math.ceil(weightOz / 16));
  const make = (carrier: string, service: string, base: number, perLb: number, days: number): EpRate => ({
    id: epId('rate'),
    object: 'Rate',
    carrier,
    service,
    rate: (base + perLb * (pounds - 1)).toFixed(2),
    retail_rate: (base * 1.2 + perLb * (pounds - 1)).toFixed(2),
    currency: 'USD',
    delivery_days: days,
    shipment_id: shipmentId,
    carrier_account_id: epId('ca'),
    created_at: isoNow(),
  });
  return [make('USPS', 'GroundAdvantage', 5.4, 1.1, 4), make('USPS', 'Priority', 8.7, 1.6, 2), make('UPS', 'Ground', 9.85, 1.25, 3)];
}

/** A tracking number in the carrier's own shape (the store checks the shape at the handover). */
export function trackingCodeFor(carrier: string): string {
  const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');
  if (carrier === 'UPS') return `1Z${randomBytes(8).toString('hex').toUpperCase()}`;
  return `9400${digits(18)}`;
}

/** Signs an exact webhook body as EasyPost does. */
export const easyPostSignature = (secret: string, body: string) => `hmac-sha256-hex=${createHmac('sha256', Buffer.from(secret.normalize('NFKD'), 'utf8')).update(body, 'utf8').digest('hex')}`;

/** A real (tiny, one-page, 4×6 in) PDF naming the carrier and tracking number: browsers open it. */
export function labelPdf(lines: string[]): Buffer {
  const text = lines.map((l, i) => `BT /F1 ${i === 0 ? 20 : 12} Tf 24 ${380 - i * 28} Td (${l.replace(/[()\\]/g, '')}) Tj ET`).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 288 432] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(text)} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
