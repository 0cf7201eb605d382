// A local fake of the Stripe HTTP API for tests, since Stripe cannot be reached from here.
// The real `stripe` SDK talks to it (`new Stripe(key, { host: '127.0.0.1', port, protocol: 'http' })`);
// the shopper's browser uses its hosted pages and its Stripe.js stand-in at /v3/.
// What it honours, as Stripe does: Bearer secret-key auth, Idempotency-Key replays, Stripe's
// error shapes and statuses, signed webhooks. Simulated outages come from failNext().
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeCheckout, type Session } from './stripe-checkout.ts';
import { authenticationPage, checkoutPage, messagePage, paymentFramePage, sessionClosedPage } from './stripe-pages.ts';
import { stripeId, type PaymentIntent, type StripeObject } from './stripe-objects.ts';
import { FakePayments, NO_REQUEST, type Ctx } from './stripe-payments.ts';
import { decodeForm, paramError, StripeApiError, type Params } from './stripe-params.ts';
import { apiRoutes, type ApiCtx, type FailRoute } from './stripe-routes.ts';
import { WebhookOutbox, type StripeEventLike } from './stripe-webhooks.ts';

export type { StripeEventLike } from './stripe-webhooks.ts';
export type { FailRoute } from './stripe-routes.ts';
export type FailMode = 'http500' | 'hangup';

export type StripeFake = {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  secretKey: string;
  publishableKey: string;
  webhookSecret: string;
  setWebhookUrl(url: string): void;
  /** immediate (default): each event is POSTed right after the change, in order; hold: queued until deliver(). */
  webhookMode: 'immediate' | 'hold';
  heldEvents(): StripeEventLike[];
  /** POSTs held events (all, or `ids`), optionally reversed and each twice; their HTTP statuses (0: no answer). */
  deliver(opts?: { ids?: string[]; reverse?: boolean; duplicate?: boolean }): Promise<number[]>;
  /** A raw POST to the webhook URL, signed with `secret` (default: the right one) at `timestamp`. */
  sendSigned(payload: string, opts?: { secret?: string; timestamp?: number }): Promise<{ status: number; body: string }>;
  /**
   * The next `n` requests on `route` fail. http500: a 500 api_error before anything happens (not
   * saved under the idempotency key, so a retry runs for real). hangup: the request takes effect,
   * then the connection is dropped unanswered: the answer is lost, a retry with the same key replays it.
   */
  failNext(route: FailRoute, n: number, mode?: FailMode): void;
  /** pending_then_failed: refunds are created `pending`, then fail (refund.failed event, status failed). */
  refundOutcome: 'succeeded' | 'pending_then_failed';
  /** A chargeback: the charge becomes disputed, charge.dispute.created is emitted; the dp_ id. */
  openDispute(paymentIntentId: string, opts?: { reason?: string; amount?: number }): Promise<string>;
  closeDispute(disputeId: string, status: 'won' | 'lost'): Promise<void>;
  paymentIntent(id: string): object | undefined;
  /** Calls made with the secret key (what the merchant's server sent), oldest first. */
  requests: { method: string; path: string; body: Record<string, unknown>; idempotencyKey?: string }[];
  /** Every event emitted so far, whatever the webhook mode. */
  events: StripeEventLike[];
  /** Resolves once every event sent in immediate mode so far has been answered by the receiver. */
  flushWebhooks(): Promise<void>;
  close(): Promise<void>;
};

type Saved = { fingerprint: string; requestId: string; answer?: { status: number; body: object } };

const MAX_BODY = 1024 * 1024;
const BROWSER_DIR = new URL('./stripe-browser/', import.meta.url);
const STRIPE_JS = readFileSync(new URL('stripe-v3.js', BROWSER_DIR), 'utf8');
const FRAME_JS = readFileSync(new URL('payment-frame.js', BROWSER_DIR), 'utf8');

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(paramError('Request body too large.', 'body'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Parameters in a stable order, so a retry's body compares equal to the original's. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

function send(res: http.ServerResponse, status: number, body: string, type: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
  res.end(body);
}
const sendJson = (res: http.ServerResponse, status: number, body: object, headers?: Record<string, string>) =>
  send(res, status, JSON.stringify(body, null, 2), 'application/json', headers);
const sendHtml = (res: http.ServerResponse, status: number, html: string) => send(res, status, html, 'text/html; charset=utf-8');
const redirect = (res: http.ServerResponse, location: string) => send(res, 303, '', 'text/plain', { location });

export async function startStripeFake(opts: { webhookUrl?: string; captureDelayMs?: number } = {}): Promise<StripeFake> {
  const secretKey = stripeId('sk_test_', 99);
  const publishableKey = stripeId('pk_test_', 99);
  const webhookSecret = stripeId('whsec_', 32);
  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (res.headersSent) return;
      if (err instanceof StripeApiError) return sendJson(res, err.status, { error: err.body });
      console.error('Stripe fake:', err);
      sendJson(res, 500, { error: { type: 'api_error', message: `Stripe fake bug: ${err instanceof Error ? err.message : err}` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;

  const outbox = new WebhookOutbox(secretKey, webhookSecret);
  outbox.url = opts.webhookUrl;
  const emit = (type: string, object: StripeObject, ctx: Ctx) => void outbox.emit(type, object, ctx);
  const payments = new FakePayments(emit, base);
  const checkout = new FakeCheckout(payments, emit, base);
  const requests: StripeFake['requests'] = [];
  const failures = new Map<FailRoute, { n: number; mode: FailMode }>();
  const saved = new Map<string, Saved>();

  const routes = apiRoutes({ payments, checkout, outbox, captureDelayMs: opts.captureDelayMs });

  function authenticate(req: http.IncomingMessage): 'secret' | 'publishable' | StripeApiError {
    const header = req.headers.authorization ?? '';
    const [scheme, value = ''] = header.split(' ');
    // Bearer (the SDK) or Basic with the key as user name (curl -u sk_test_…:).
    const key = scheme === 'Bearer' ? value : scheme === 'Basic' ? Buffer.from(value, 'base64').toString().split(':')[0] : '';
    if (key === secretKey) return 'secret';
    if (key === publishableKey) return 'publishable';
    const message = key
      ? `Invalid API Key provided: ${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`
      : "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').";
    return new StripeApiError(401, { type: 'invalid_request_error', message }, false);
  }

  async function api(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    const requestId = stripeId('req_', 14);
    const headers = { 'request-id': requestId, 'stripe-version': String(req.headers['stripe-version'] ?? '') };
    const fail = (err: StripeApiError) => sendJson(res, err.status, { error: err.body }, headers);
    const method = req.method === 'POST' ? 'POST' : 'GET';
    let params: Params;
    try {
      params = decodeForm(method === 'POST' ? await readBody(req) : url.search.slice(1));
    } catch (err) {
      if (err instanceof StripeApiError) return fail(err);
      throw err;
    }
    const route = routes.find((r) => r.method === req.method && r.path.test(url.pathname));
    const auth = authenticate(req);
    if (auth instanceof StripeApiError) return fail(auth);
    if (!route) {
      return fail(new StripeApiError(404, { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${url.pathname}). The Stripe fake does not implement it.` }));
    }
    if (auth === 'publishable' && !route.publishable) {
      return fail(new StripeApiError(401, { type: 'invalid_request_error', message: 'This API call cannot be made with a publishable API key. Please use a secret API key.' }));
    }
    const idempotencyKey = method === 'POST' ? (req.headers['idempotency-key'] as string | undefined) : undefined;
    if (auth === 'secret') requests.push({ method, path: url.pathname, body: params, ...(idempotencyKey ? { idempotencyKey } : {}) });

    const failure = route.fail ? failures.get(route.fail) : undefined;
    const mode = failure?.mode;
    if (failure && --failure.n <= 0) failures.delete(route.fail!);
    if (mode === 'http500') return sendJson(res, 500, { error: { type: 'api_error', message: 'An unknown error occurred' } }, headers);
    const answer = (status: number, body: object, extra: Record<string, string> = {}) => {
      if (mode === 'hangup') req.socket.destroy();
      else sendJson(res, status, body, { ...headers, ...extra });
    };

    const fingerprint = `${method} ${url.pathname} ${canonical(params)}`;
    const prior = idempotencyKey ? saved.get(idempotencyKey) : undefined;
    if (prior && prior.fingerprint !== fingerprint) {
      const message = `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`;
      return answer(400, { error: { type: 'idempotency_error', message } });
    }
    if (prior && !prior.answer) {
      return answer(409, { error: { type: 'idempotency_error', code: 'idempotency_key_in_use', message: 'There is currently another in-progress request using this Stripe API key and idempotency key. Please try again later.' } });
    }
    if (prior?.answer) return answer(prior.answer.status, prior.answer.body, { 'idempotent-replayed': 'true', 'original-request': prior.requestId });

    const entry: Saved = { fingerprint, requestId };
    if (idempotencyKey) saved.set(idempotencyKey, entry);
    const afterwards: (() => void)[] = [];
    const ctx: ApiCtx = { requestId, idempotencyKey: idempotencyKey ?? null, after: (fn) => afterwards.push(fn), publishable: auth === 'publishable' };
    let status = 200;
    let body: object;
    let keep = true;
    try {
      body = await route.run(route.path.exec(url.pathname)![1] ?? '', params, ctx);
    } catch (err) {
      if (err instanceof StripeApiError) {
        status = err.status;
        body = { error: err.body };
        keep = err.saved;
      } else {
        // A bug in the fake: answered (and saved) as Stripe answers its own failures, and shown.
        console.error('Stripe fake:', err);
        status = 500;
        body = { error: { type: 'api_error', message: `Stripe fake bug: ${err instanceof Error ? err.message : err}` } };
      }
    }
    if (idempotencyKey) {
      if (keep) entry.answer = { status, body };
      else saved.delete(idempotencyKey);
    }
    answer(status, body, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {});
    for (const fn of afterwards) fn();
  }

  /** After 3-D Secure: Checkout's own pages, or the intent's return_url with what Stripe appends. */
  function returnFromAuthentication(pi: PaymentIntent): string | undefined {
    const link = payments.link(pi.id);
    if (link.sessionId) return checkout.afterAuthentication(checkout.session(link.sessionId), pi);
    if (!link.returnUrl) return undefined;
    const target = new URL(link.returnUrl);
    target.searchParams.set('payment_intent', pi.id);
    target.searchParams.set('payment_intent_client_secret', pi.client_secret);
    target.searchParams.set('redirect_status', pi.status === 'succeeded' || pi.status === 'requires_capture' ? 'succeeded' : 'failed');
    return target.toString();
  }

  async function browser(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    const path = url.pathname;
    if (req.method === 'GET' && (path === '/v3' || path === '/v3/')) return send(res, 200, STRIPE_JS, 'text/javascript; charset=utf-8');
    if (req.method === 'GET' && path === '/elements/payment-frame') return sendHtml(res, 200, paymentFramePage());
    if (req.method === 'GET' && path === '/elements/payment-frame.js') return send(res, 200, FRAME_JS, 'text/javascript; charset=utf-8');

    const pay = /^\/c\/pay\/([^/]+)$/.exec(path);
    if (pay) {
      const s = payments.objects.get(pay[1]) as Session | undefined;
      if (s?.object !== 'checkout.session') return sendHtml(res, 404, messagePage('Page not found', 'No such Checkout Session.'));
      checkout.session(s.id); // expires it if its time is up
      if (s.status !== 'open') return sendHtml(res, s.status === 'expired' ? 410 : 200, sessionClosedPage(s, checkout.successUrl(s)));
      if (req.method === 'GET') {
        // After a decline or a failed 3-D Secure, the intent keeps why: show it, the shopper may retry.
        const lastError = s.payment_intent ? payments.intent(s.payment_intent).last_payment_error : null;
        return sendHtml(res, 200, checkoutPage(s, checkout.lines(s.id), lastError ? { message: lastError.message } : undefined));
      }
      const outcome = checkout.pay(s, decodeForm(await readBody(req)));
      if ('redirect' in outcome) return redirect(res, outcome.redirect);
      return sendHtml(res, outcome.status, checkoutPage(s, checkout.lines(s.id), { message: outcome.error, field: outcome.field }));
    }

    const auth = /^\/3ds\/([^/]+)$/.exec(path);
    if (auth) {
      const pi = payments.objects.get(auth[1]) as PaymentIntent | undefined;
      const form = req.method === 'POST' ? decodeForm(await readBody(req)) : {};
      const secret = req.method === 'POST' ? form.client_secret : url.searchParams.get('client_secret');
      if (pi?.object !== 'payment_intent' || secret !== pi.client_secret) return sendHtml(res, 404, messagePage('Page not found', 'No such authentication.'));
      if (req.method === 'GET') {
        if (pi.status === 'requires_action') return sendHtml(res, 200, authenticationPage(pi));
        const back = returnFromAuthentication(pi);
        return back ? redirect(res, back) : sendHtml(res, 200, messagePage('Authentication finished', 'You can close this window.'));
      }
      payments.authenticate(pi, form.outcome === 'complete' ? 'complete' : 'fail', NO_REQUEST);
      if (String(req.headers.accept).includes('application/json')) return sendJson(res, 200, payments.render(pi));
      const back = returnFromAuthentication(pi);
      return back ? redirect(res, back) : sendHtml(res, 200, messagePage('Authentication finished', 'You can close this window.'));
    }
    sendHtml(res, 404, messagePage('Page not found', `The Stripe fake has no page at ${path}.`));
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', base);
    if (url.pathname.startsWith('/v1/')) return api(req, res, url);
    return browser(req, res, url);
  }

  return {
    url: base,
    port,
    secretKey,
    publishableKey,
    webhookSecret,
    setWebhookUrl: (u) => void (outbox.url = u),
    get webhookMode() {
      return outbox.mode;
    },
    set webhookMode(m) {
      outbox.mode = m;
    },
    heldEvents: () => outbox.heldEvents(),
    deliver: (o) => outbox.deliver(o),
    sendSigned: (payload, o) => outbox.sendSigned(payload, o),
    failNext(route, n, mode = 'http500') {
      if (n > 0) failures.set(route, { n, mode });
      else failures.delete(route);
    },
    get refundOutcome() {
      return payments.refundOutcome;
    },
    set refundOutcome(o) {
      payments.refundOutcome = o;
    },
    async openDispute(piId, o) {
      const id = payments.openDispute(piId, o).id;
      await outbox.flush();
      return id;
    },
    async closeDispute(id, status) {
      payments.closeDispute(id, status);
      await outbox.flush();
    },
    paymentIntent: (id) => {
      const o = payments.objects.get(id);
      return o?.object === 'payment_intent' ? payments.render(o) : undefined;
    },
    requests,
    events: outbox.events,
    flushWebhooks: () => outbox.flush(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
