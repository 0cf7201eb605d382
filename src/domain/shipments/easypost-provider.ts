// EasyPost through its official SDK (@easypost/api). EasyPost speaks ounces and inches, and
// dollars as decimal strings; the store speaks grams, millimetres and cents: converted here only.
// Purchases are made safe to retry by asking EasyPost first whether the shipment already has
// postage (a timed-out buy may have gone through); EasyPost itself refuses to buy a shipment twice.
import EasyPost from '@easypost/api';
import type { LabelRate } from '../../db/schema.ts';
import { DomainError } from '../shared/errors.ts';
import type { CarrierEventStatus } from './carrier-events.ts';
import {
  ShippingProviderUnavailable,
  type AddressCheck,
  type ParcelSize,
  type PostalAddress,
  type PurchasedLabel,
  type ShippingProvider,
  type TrackerUpdate,
} from './shipping-provider.ts';

export type EasyPostConfig = {
  apiKey: string;
  /** Secret of the webhook set up in EasyPost's dashboard; without it tracker webhooks are refused. */
  webhookSecret?: string;
  /** Another API base (the test fake): http(s)://host:port/v2/. */
  apiUrl?: string;
  /** How long one call may take before it counts as not answered. */
  timeoutMs: number;
};

const OUNCE_GRAMS = 28.349523125;
const INCH_MM = 25.4;
const ounces = (grams: number) => Math.max(0.1, Math.round((grams / OUNCE_GRAMS) * 10) / 10);
const inches = (mm: number) => Math.max(0.1, Math.round((mm / INCH_MM) * 10) / 10);
const cents = (dollars: string | number) => Math.round(Number(dollars) * 100);

/** EasyPost's tracker statuses → ours; `pre_transit` (label printed) and `unknown` say nothing new. */
const TRACKER_STATUS: Record<string, CarrierEventStatus | undefined> = {
  in_transit: 'in_transit',
  available_for_pickup: 'out_for_delivery',
  out_for_delivery: 'out_for_delivery',
  delivered: 'delivered',
  return_to_sender: 'exception',
  failure: 'exception',
  error: 'exception',
};

type EpAddress = Record<string, unknown>;
const toEasyPost = (a: PostalAddress): EpAddress => ({
  name: a.name,
  company: a.company,
  street1: a.line1,
  street2: a.line2,
  city: a.city,
  state: a.state,
  zip: a.postalCode,
  country: a.country,
  phone: a.phone,
  email: a.email,
});
const toParcel = (p: ParcelSize) => ({ weight: ounces(p.weightGrams), length: inches(p.lengthMm), width: inches(p.widthMm), height: inches(p.heightMm) });

type EpShipment = {
  id: string;
  rates?: { id: string; carrier: string; service: string; rate: string; currency: string; delivery_days?: number | null }[];
  selected_rate?: { carrier: string; service: string; rate: string } | null;
  postage_label?: { label_url?: string | null } | null;
  tracking_code?: string | null;
  tracker?: { id: string } | null;
  refund_status?: string | null;
};

/** A call that timed out or could not connect; EasyPost's own refusals pass through as they are. */
function isUnanswered(err: unknown): boolean {
  const e = err as { timeout?: unknown; code?: string; statusCode?: number; name?: string };
  return Boolean(e?.timeout) || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'ENOTFOUND'].includes(e?.code ?? '') || (e?.statusCode ?? 0) >= 500;
}

async function call<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof DomainError) throw err;
    if (isUnanswered(err)) throw new ShippingProviderUnavailable(what, err);
    throw new DomainError('conflict', `${what}: EasyPost refused — ${(err as Error).message}`);
  }
}

export function createEasyPostProvider(config: EasyPostConfig): ShippingProvider {
  // The SDK keeps a `timeout` option but never applies it: the request middleware does.
  const client = new EasyPost(config.apiKey, {
    baseUrl: config.apiUrl,
    requestMiddleware: (req: { timeout(t: { response: number; deadline: number }): unknown }) => {
      req.timeout({ response: config.timeoutMs, deadline: config.timeoutMs });
      return req;
    },
  });

  async function fetchLabel(url: string): Promise<Buffer> {
    const res = await fetch(url, { signal: AbortSignal.timeout(config.timeoutMs) });
    if (!res.ok) throw Object.assign(new Error(`label download answered ${res.status}`), { statusCode: res.status >= 500 ? res.status : 502 });
    return Buffer.from(await res.arrayBuffer());
  }

  async function asPurchased(s: EpShipment): Promise<PurchasedLabel> {
    const url = s.postage_label?.label_url;
    if (!url || !s.tracking_code || !s.selected_rate) throw new DomainError('conflict', 'EasyPost answered without a label or tracking number.');
    return {
      providerShipmentId: s.id,
      carrier: s.selected_rate.carrier,
      service: s.selected_rate.service,
      amount: cents(s.selected_rate.rate),
      trackingNumber: s.tracking_code,
      trackerId: s.tracker?.id ?? null,
      pdf: await fetchLabel(url),
    };
  }

  const rateOf = (r: NonNullable<EpShipment['rates']>[number]): LabelRate => ({
    id: r.id,
    carrier: r.carrier,
    service: r.service,
    amount: cents(r.rate),
    currency: r.currency,
    deliveryDays: r.delivery_days ?? null,
  });

  return {
    name: 'easypost',
    buysLabels: true,

    async verifyAddress(to): Promise<AddressCheck> {
      const address = await call('Checking the address', () => client.Address.create({ ...toEasyPost(to), verify: true } as never));
      const delivery = (address as unknown as { verifications?: { delivery?: { success: boolean; errors?: { message: string }[] } } }).verifications?.delivery;
      if (!delivery || delivery.success) return { ok: true };
      const why = (delivery.errors ?? []).map((e) => e.message).filter(Boolean).join('; ') || 'the address could not be verified';
      return { ok: false, reason: `The carrier cannot deliver to this address: ${why}.` };
    },

    async rates({ from, to, parcel, reference }) {
      const shipment = (await call('Getting rates', () =>
        client.Shipment.create({ from_address: toEasyPost(from), to_address: toEasyPost(to), parcel: toParcel(parcel), reference } as never),
      )) as unknown as EpShipment;
      return { providerShipmentId: shipment.id, rates: (shipment.rates ?? []).map(rateOf).sort((a, b) => a.amount - b.amount) };
    },

    async buyLabel({ providerShipmentId, rateId }) {
      // A purchase whose answer was lost (timeout) may have happened: look before buying.
      const current = (await call('Buying the label', () => client.Shipment.retrieve(providerShipmentId))) as unknown as EpShipment;
      if (current.postage_label?.label_url) return call('Downloading the label', () => asPurchased(current));
      const bought = (await call('Buying the label', async () => {
        try {
          return await client.Shipment.buy(providerShipmentId, rateId);
        } catch (err) {
          // Bought meanwhile by the same press in another tab: that purchase is the label.
          if ((err as { code?: string }).code === 'SHIPMENT.POSTAGE.EXISTS') return client.Shipment.retrieve(providerShipmentId);
          throw err;
        }
      })) as unknown as EpShipment;
      return call('Downloading the label', () => asPurchased(bought));
    },

    async voidLabel(providerShipmentId) {
      const s = (await call('Voiding the label', () => client.Shipment.refund(providerShipmentId))) as unknown as EpShipment;
      const status = s.refund_status ?? 'unknown';
      return { refunded: status === 'submitted' || status === 'refunded', status };
    },

    async createReturnLabel({ shop, customer, parcel, reference }) {
      // EasyPost's return shipments keep the addresses as for the outbound parcel and swap them itself.
      const shipment = (await call('Making the return label', () =>
        client.Shipment.create({ from_address: toEasyPost(shop), to_address: toEasyPost(customer), parcel: toParcel(parcel), is_return: true, reference } as never),
      )) as unknown as EpShipment;
      const cheapest = [...(shipment.rates ?? [])].sort((a, b) => Number(a.rate) - Number(b.rate))[0];
      if (!cheapest) throw new DomainError('conflict', 'EasyPost offered no rate for the return parcel.');
      const bought = (await call('Making the return label', () => client.Shipment.buy(shipment.id, cheapest.id))) as unknown as EpShipment;
      return call('Downloading the return label', () => asPurchased(bought));
    },

    parseTrackerWebhook(rawBody, headers) {
      if (!config.webhookSecret) throw new DomainError('unavailable', 'Tracking webhooks are not accepted yet: the store has no EASYPOST_WEBHOOK_SECRET configured.');
      let event: { description?: string; result?: EpTracker };
      try {
        event = client.Utils.validateWebhook(rawBody, headers as never, config.webhookSecret) as typeof event;
      } catch {
        throw new DomainError('unauthorized', 'The X-Hmac-Signature header is missing or does not match the body.');
      }
      if (event.description !== 'tracker.updated' && event.description !== 'tracker.created') return null;
      const tracker = event.result;
      if (!tracker?.tracking_code) return null;
      return {
        trackerId: tracker.id,
        trackingNumber: tracker.tracking_code,
        carrier: tracker.carrier ?? '',
        events: (tracker.tracking_details ?? []).flatMap((d) => {
          const status = TRACKER_STATUS[d.status ?? ''];
          const occurredAt = new Date(d.datetime ?? '');
          if (!status || Number.isNaN(occurredAt.getTime())) return [];
          const l = d.tracking_location ?? {};
          const location = [l.city, l.state].filter(Boolean).join(', ') + (l.zip ? ` ${l.zip}` : '');
          return [{ status, occurredAt, location: location.trim(), description: (d.message ?? '').trim() }];
        }),
      } satisfies TrackerUpdate;
    },
  };
}

type EpTracker = {
  id: string;
  tracking_code?: string;
  carrier?: string;
  tracking_details?: { status?: string; message?: string; datetime?: string; tracking_location?: { city?: string | null; state?: string | null; zip?: string | null } }[];
};
