// A local fake of the EasyPost HTTP API (https://docs.easypost.com/docs) for tests, since
// EasyPost cannot be reached from here. The real @easypost/api SDK talks to it through its
// `baseUrl` option (EASYPOST_API_URL). What it honours, as EasyPost does: HTTP Basic auth with
// the API key as user name; POST /v2/addresses with `verify` answering `verifications.delivery`;
// POST /v2/shipments answering rates; POST /v2/shipments/:id/buy answering postage_label.label_url,
// tracking_code and a tracker, and refusing a shipment that already has postage; GET
// /v2/shipments/:id; POST /v2/shipments/:id/refund (refund_status "submitted"); error bodies
// `{ error: { code, message, errors } }`. Webhooks: Event objects "tracker.updated" signed with X-Hmac-Signature.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { easyPostSignature, epId, isoNow, labelPdf, ratesFor, trackingCodeFor, type EpAddress, type EpEvent, type EpShipment, type EpTracker } from './easypost-objects.ts';

export type TrackerStep = { status: string; message: string; city?: string; state?: string; zip?: string; datetime: Date };

export type EasyPostFake = {
  /** Base for EASYPOST_API_URL: http://127.0.0.1:<port>/v2/ */
  apiUrl: string;
  apiKey: string;
  webhookSecret: string;
  /** Addresses whose ZIP code is here fail delivery verification. */
  undeliverableZips: Set<string>;
  /** The next purchase goes through, but its answer is held back until close(): the caller times out. */
  holdNextBuyAnswer(): void;
  /** Every label bought (one per successful buy). */
  purchases: { shipmentId: string; trackingCode: string }[];
  refunds: string[];
  requests: { method: string; path: string; body: unknown }[];
  shipment(id: string): EpShipment | undefined;
  /** Adds a step to the parcel's tracker and returns the "tracker.updated" event EasyPost would send. */
  trackerEvent(trackingCode: string, step: TrackerStep): EpEvent;
  /** POSTs an event to `url`, signed with the right secret unless `secret` says otherwise (null: unsigned). */
  sendWebhook(url: string, event: EpEvent, opts?: { secret?: string | null }): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
};

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startEasyPostFake(opts: { apiKey?: string; webhookSecret?: string } = {}): Promise<EasyPostFake> {
  const apiKey = opts.apiKey ?? 'EZTK_fake_test_key_0123456789';
  const webhookSecret = opts.webhookSecret ?? 'easypost-webhook-secret-for-tests';
  const shipments = new Map<string, EpShipment>();
  const trackers = new Map<string, EpTracker>();
  const held: http.ServerResponse[] = [];
  const labels = new Map<string, Buffer>();
  let holdNext = false;
  let base = '';

  const fake: Omit<EasyPostFake, 'apiUrl' | 'close'> = {
    apiKey,
    webhookSecret,
    undeliverableZips: new Set(['99999']),
    holdNextBuyAnswer: () => void (holdNext = true),
    purchases: [],
    refunds: [],
    requests: [],
    shipment: (id) => shipments.get(id),
    trackerEvent(trackingCode, step) {
      const tracker = [...trackers.values()].find((t) => t.tracking_code === trackingCode);
      if (!tracker) throw new Error(`no tracker for ${trackingCode}`);
      const previous = tracker.status;
      tracker.tracking_details.push({
        object: 'TrackingDetail',
        message: step.message,
        description: step.message,
        status: step.status,
        status_detail: step.status,
        datetime: step.datetime.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        source: tracker.carrier,
        tracking_location: { object: 'TrackingLocation', city: step.city ?? null, state: step.state ?? null, country: 'US', zip: step.zip ?? null },
      });
      tracker.status = step.status;
      tracker.updated_at = isoNow();
      return {
        id: epId('evt'),
        object: 'Event',
        mode: 'test',
        description: 'tracker.updated',
        previous_attributes: { status: previous },
        pending_urls: [],
        completed_urls: [],
        status: 'pending',
        result: structuredClone(tracker),
        created_at: isoNow(),
        updated_at: isoNow(),
      };
    },
    async sendWebhook(url, event, o = {}) {
      const body = JSON.stringify(event);
      const secret = o.secret === undefined ? webhookSecret : o.secret;
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'EasyPost WebHook Agent 1.0', ...(secret ? { 'x-hmac-signature': easyPostSignature(secret, body) } : {}) },
        body,
      });
      return { status: res.status, body: await res.text() };
    },
  };

  function createShipment(p: Record<string, unknown>): EpShipment {
    const parcel = (p.parcel ?? {}) as { weight?: number };
    if (!(Number(parcel.weight) > 0)) throw new ApiError(422, 'PARCEL.WEIGHT.INVALID', 'Parcel weight must be greater than 0.');
    const id = epId('shp');
    const s: EpShipment = {
      id,
      object: 'Shipment',
      mode: 'test',
      reference: (p.reference as string) ?? null,
      is_return: Boolean(p.is_return),
      status: 'unknown',
      from_address: { id: epId('adr'), object: 'Address', ...(p.from_address as EpAddress) },
      to_address: { id: epId('adr'), object: 'Address', ...(p.to_address as EpAddress) },
      parcel: { id: epId('prcl'), object: 'Parcel', ...parcel },
      rates: ratesFor(id, Number(parcel.weight)),
      selected_rate: null,
      postage_label: null,
      tracking_code: null,
      tracker: null,
      refund_status: null,
      messages: [],
      fees: [],
      created_at: isoNow(),
      updated_at: isoNow(),
    };
    shipments.set(id, s);
    return s;
  }

  function buy(s: EpShipment, rateId: string): EpShipment {
    if (s.postage_label) throw new ApiError(422, 'SHIPMENT.POSTAGE.EXISTS', 'Postage already exists for this shipment.');
    const rate = s.rates.find((r) => r.id === rateId);
    if (!rate) throw new ApiError(422, 'SHIPMENT.RATE.INVALID', 'The rate does not belong to this shipment.');
    const code = trackingCodeFor(rate.carrier);
    const labelId = epId('pl');
    labels.set(labelId, labelPdf([`${rate.carrier} ${rate.service}`, `TRACKING ${code}`, `TO ${String(s.to_address.name ?? '')}`, `${String(s.to_address.street1 ?? '')}`, `${String(s.to_address.city ?? '')} ${String(s.to_address.state ?? '')} ${String(s.to_address.zip ?? '')}`]));
    const tracker: EpTracker = {
      id: epId('trk'),
      object: 'Tracker',
      mode: 'test',
      tracking_code: code,
      status: 'pre_transit',
      status_detail: 'label_created',
      carrier: rate.carrier,
      shipment_id: s.id,
      weight: null,
      signed_by: null,
      est_delivery_date: null,
      public_url: `https://track.easypost.com/${code}`,
      tracking_details: [],
      fees: [],
      created_at: isoNow(),
      updated_at: isoNow(),
    };
    trackers.set(tracker.id, tracker);
    Object.assign(s, {
      selected_rate: rate,
      tracking_code: code,
      tracker,
      postage_label: { id: labelId, object: 'PostageLabel', label_url: `${base}/files/postage_label/${labelId}.pdf`, label_file_type: 'application/pdf', label_size: '4x6', created_at: isoNow() },
      updated_at: isoNow(),
    });
    fake.purchases.push({ shipmentId: s.id, trackingCode: code });
    return s;
  }

  async function route(method: string, path: string, body: Record<string, unknown>, res: http.ServerResponse): Promise<unknown> {
    if (method === 'POST' && path === '/v2/addresses') {
      const a = (body.address ?? {}) as EpAddress;
      const address = { id: epId('adr'), object: 'Address', mode: 'test', ...a, created_at: isoNow() } as Record<string, unknown>;
      if ('verify' in body || 'verify_strict' in body) {
        const ok = !fake.undeliverableZips.has(String(a.zip ?? ''));
        address.verifications = {
          zip4: { success: ok, errors: [], details: null },
          delivery: ok
            ? { success: true, errors: [], details: { latitude: 39.27, longitude: -81.56, time_zone: 'America/New_York' } }
            : { success: false, errors: [{ code: 'E.ADDRESS.NOT_FOUND', field: 'address', message: 'Address not found', suggestion: null }], details: {} },
        };
      }
      return address;
    }
    if (method === 'POST' && path === '/v2/shipments') return createShipment((body.shipment ?? {}) as Record<string, unknown>);
    const m = /^\/v2\/shipments\/(shp_[0-9a-f]+)(\/buy|\/refund)?$/.exec(path);
    const s = m ? shipments.get(m[1]!) : undefined;
    if (m && !s) throw new ApiError(404, 'NOT_FOUND', 'The requested resource could not be found.');
    if (method === 'GET' && m && !m[2]) return s;
    if (method === 'POST' && m?.[2] === '/buy') {
      const bought = buy(s!, String((body.rate as { id?: string } | undefined)?.id ?? ''));
      if (holdNext) {
        holdNext = false;
        held.push(res);
        return undefined;
      }
      return bought;
    }
    if (method === 'POST' && m?.[2] === '/refund') {
      if (!s!.postage_label) throw new ApiError(422, 'SHIPMENT.REFUND.NOT_PURCHASED', 'This shipment has no postage to refund.');
      if (!s!.refund_status) fake.refunds.push(s!.id);
      s!.refund_status = 'submitted';
      return s;
    }
    throw new ApiError(404, 'NOT_FOUND', 'The requested resource could not be found.');
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const label = /^\/files\/postage_label\/(pl_[0-9a-f]+)\.pdf$/.exec(url.pathname);
    if (req.method === 'GET' && label) {
      const pdf = labels.get(label[1]!);
      res.writeHead(pdf ? 200 : 404, { 'content-type': pdf ? 'application/pdf' : 'text/plain' }).end(pdf ?? 'not found');
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const send = (status: number, payload: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    const auth = req.headers.authorization ?? '';
    const user = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString().split(':')[0] : '';
    if (user !== apiKey) return send(401, { error: { code: 'APIKEY.REQUIRED', message: 'The API key is missing or invalid.', errors: [] } });
    let body: Record<string, unknown> = {};
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      return send(400, { error: { code: 'BAD_REQUEST', message: 'The request body is not valid JSON.', errors: [] } });
    }
    fake.requests.push({ method: req.method ?? 'GET', path: url.pathname, body });
    try {
      const answer = await route(req.method ?? 'GET', url.pathname, body, res);
      if (answer !== undefined) send(req.method === 'POST' && !url.pathname.endsWith('/refund') && !url.pathname.endsWith('/buy') ? 201 : 200, answer);
    } catch (err) {
      if (err instanceof ApiError) return send(err.status, { error: { code: err.code, message: err.message, errors: [] } });
      send(500, { error: { code: 'INTERNAL_SERVER_ERROR', message: String(err), errors: [] } });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    ...fake,
    apiUrl: `${base}/v2/`,
    async close() {
      for (const r of held) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  } as EasyPostFake;
}
