// Stripe behind the PaymentProvider interface, with Stripe's own SDK (`stripe`, pinned).
//   - hosted: a Checkout Session (Stripe's page; works without JavaScript), redirect back.
//   - embedded: a PaymentIntent whose client secret the Payment Element confirms in the
//     browser (3-D Secure handled by Stripe.js), redirect back.
//   - token: a PaymentIntent confirmed at once with an API client's PaymentMethod id.
// Our payment id travels as metadata.casanova_payment on the session and the intent, so
// every webhook leads back to it. Capture is automatic or manual per store setting.
import Stripe from 'stripe';
import {
  WebhookSignatureError,
  type CaptureResult,
  type DeclineCode,
  type PaymentProvider,
  type ProviderEvent,
  type ProviderPayment,
  type RefundResult,
  type VoidResult,
} from './provider.ts';
import { validationFailed } from '../shared/errors.ts';

export type StripeOptions = { secretKey: string; publishableKey: string; webhookSecret: string; apiUrl?: string; jsUrl: string };

/** Stripe's default tolerance for the signature timestamp. */
const WEBHOOK_TOLERANCE_S = 300;
const META = 'casanova_payment';
const REFUND_META = 'casanova_refund';

const DECLINES: Record<string, DeclineCode> = {
  insufficient_funds: 'insufficient_funds',
  expired_card: 'expired_card',
  incorrect_cvc: 'incorrect_cvc',
  invalid_cvc: 'incorrect_cvc',
  incorrect_number: 'incorrect_number',
  invalid_number: 'incorrect_number',
  authentication_required: 'authentication_required',
  processing_error: 'processing_error',
};

function declineOf(err: { code?: string | null; decline_code?: string | null } | null | undefined): DeclineCode | undefined {
  if (!err) return undefined;
  return DECLINES[err.decline_code ?? ''] ?? DECLINES[err.code ?? ''] ?? 'card_declined';
}

const idOf = (v: string | { id: string } | null | undefined) => (typeof v === 'string' ? v : v?.id);

/** A PaymentIntent in our terms. */
function fromIntent(pi: Stripe.PaymentIntent, sessionId = pi.id): ProviderPayment {
  const charge = typeof pi.latest_charge === 'object' ? pi.latest_charge : null;
  const card = charge?.payment_method_details?.card;
  const status = (
    {
      requires_payment_method: 'open',
      requires_confirmation: 'open',
      requires_action: 'open',
      processing: 'processing',
      requires_capture: 'authorized',
      succeeded: 'captured',
      canceled: 'canceled',
    } as const
  )[pi.status as string] ?? 'open';
  const failure = pi.last_payment_error;
  return {
    sessionId,
    transactionId: pi.id,
    status,
    amount: pi.amount,
    currency: pi.currency.toUpperCase(),
    amountCaptured: pi.status === 'succeeded' ? pi.amount_received : 0,
    card: card ? { brand: card.brand ?? 'card', last4: card.last4 ?? '', expMonth: card.exp_month ?? undefined, expYear: card.exp_year ?? undefined } : undefined,
    declineCode: declineOf(failure),
    message: failure?.message ?? undefined,
    redirectUrl: pi.status === 'requires_action' && pi.next_action?.redirect_to_url?.url ? pi.next_action.redirect_to_url.url : undefined,
    clientSecret: pi.client_secret ?? undefined,
  };
}

/** The error in words, without the SDK's "[req_…]" prefix (shoppers and staff read this). */
const message = (err: unknown) => {
  const raw = (err as { raw?: { message?: unknown } }).raw?.message;
  return typeof raw === 'string' ? raw : err instanceof Error ? err.message : String(err);
};

export function createStripeProvider(opts: StripeOptions): PaymentProvider {
  const base = opts.apiUrl ? new URL(opts.apiUrl) : undefined;
  const stripe = new Stripe(opts.secretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    ...(base ? { host: base.hostname, port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)), protocol: base.protocol === 'https:' ? 'https' : 'http' } : {}),
  });

  const intent = (id: string) => stripe.paymentIntents.retrieve(id, { expand: ['latest_charge'] });

  return {
    name: 'stripe',
    browser: { publishableKey: opts.publishableKey, scriptUrl: opts.jsUrl },

    async createSession(input) {
      const metadata = { [META]: input.reference };
      const captureMethod = input.captureMethod;
      if (input.method.kind === 'hosted') {
        const session = await stripe.checkout.sessions.create(
          {
            mode: 'payment',
            line_items: input.lines.map((l) => ({ quantity: l.quantity, price_data: { currency: input.currency.toLowerCase(), unit_amount: l.unitAmount, product_data: { name: l.name } } })),
            customer_email: input.email,
            client_reference_id: input.reference,
            metadata,
            payment_intent_data: { capture_method: captureMethod, description: input.description, metadata },
            success_url: `${input.returnUrl}&session_id={CHECKOUT_SESSION_ID}`,
            cancel_url: input.cancelUrl,
          },
          { idempotencyKey: input.idempotencyKey },
        );
        return {
          sessionId: session.id,
          transactionId: idOf(session.payment_intent),
          status: 'open',
          amount: session.amount_total ?? input.amount,
          currency: (session.currency ?? input.currency).toUpperCase(),
          amountCaptured: 0,
          redirectUrl: session.url ?? undefined,
        };
      }
      const params: Stripe.PaymentIntentCreateParams = {
        amount: input.amount,
        currency: input.currency.toLowerCase(),
        capture_method: captureMethod,
        description: input.description,
        receipt_email: input.email,
        metadata,
      };
      if (input.method.kind === 'embedded') {
        return fromIntent(await stripe.paymentIntents.create({ ...params, automatic_payment_methods: { enabled: true } }, { idempotencyKey: input.idempotencyKey }));
      }
      try {
        const pi = await stripe.paymentIntents.create(
          // No shopper is there to answer a bank's 3-D Secure question: Stripe declines with authentication_required instead.
          { ...params, payment_method: input.method.token, automatic_payment_methods: { enabled: true, allow_redirects: 'never' }, confirm: true, error_on_requires_action: true },
          { idempotencyKey: input.idempotencyKey },
        );
        return fromIntent(pi.latest_charge ? await intent(pi.id) : pi);
      } catch (err) {
        // A declined token: the intent stays behind waiting for another method; close it, the answer is final.
        if (err instanceof Stripe.errors.StripeCardError) {
          const raw = err.raw as { payment_intent?: Stripe.PaymentIntent };
          const piId = raw.payment_intent?.id;
          if (piId) await stripe.paymentIntents.cancel(piId, {}, { idempotencyKey: `${input.idempotencyKey}:cancel` }).catch(() => {});
          return {
            sessionId: piId ?? `declined:${input.reference}`,
            transactionId: piId,
            status: 'canceled',
            amount: input.amount,
            currency: input.currency,
            amountCaptured: 0,
            declineCode: declineOf({ code: err.code, decline_code: err.decline_code }),
            message: message(err),
          };
        }
        if (err instanceof Stripe.errors.StripeInvalidRequestError && err.param === 'payment_method') {
          throw validationFailed({ 'payment.paymentMethod': 'Stripe does not know this PaymentMethod; create one with Stripe.js or use a test id such as pm_card_visa' });
        }
        throw err;
      }
    },

    async retrieve({ sessionId, transactionId }) {
      if (sessionId.startsWith('cs_')) {
        const session = await stripe.checkout.sessions.retrieve(sessionId, { expand: ['payment_intent.latest_charge'] });
        const pi = session.payment_intent;
        if (pi && typeof pi === 'object') return fromIntent(pi, session.id);
        if (pi) return fromIntent(await intent(pi), session.id);
        return {
          sessionId: session.id,
          status: session.status === 'expired' ? 'canceled' : 'open',
          amount: session.amount_total ?? 0,
          currency: (session.currency ?? 'usd').toUpperCase(),
          amountCaptured: 0,
          redirectUrl: session.status === 'open' ? (session.url ?? undefined) : undefined,
        };
      }
      return fromIntent(await intent(transactionId ?? sessionId), sessionId);
    },

    async capture({ transactionId, amount, idempotencyKey }): Promise<CaptureResult> {
      try {
        await stripe.paymentIntents.capture(transactionId, { amount_to_capture: amount }, { idempotencyKey });
        return { status: 'captured' };
      } catch (err) {
        // Captured already (a retry after a lost answer): Stripe says so with the intent's state.
        const pi = await intent(transactionId).catch(() => undefined);
        if (pi?.status === 'succeeded' && pi.amount_received === amount) return { status: 'captured' };
        return { status: 'failed', message: message(err) };
      }
    },

    async void({ sessionId, transactionId, idempotencyKey }): Promise<VoidResult> {
      try {
        let piId = transactionId ?? undefined;
        if (sessionId.startsWith('cs_')) {
          const session = await stripe.checkout.sessions.retrieve(sessionId);
          if (session.status === 'open') {
            await stripe.checkout.sessions.expire(sessionId, {}, { idempotencyKey: `${idempotencyKey}:expire` });
            return { status: 'voided' };
          }
          piId ??= idOf(session.payment_intent);
          if (!piId) return { status: 'voided' };
        }
        piId ??= sessionId;
        const pi = await intent(piId);
        if (pi.status === 'canceled') return { status: 'voided' };
        if (pi.status === 'succeeded') return { status: 'failed', message: 'This payment has been captured; refund it instead.' };
        await stripe.paymentIntents.cancel(piId, {}, { idempotencyKey });
        return { status: 'voided' };
      } catch (err) {
        return { status: 'failed', message: message(err) };
      }
    },

    async refund({ transactionId, amount, idempotencyKey, reference }): Promise<RefundResult> {
      try {
        const refund = await stripe.refunds.create({ payment_intent: transactionId, amount, metadata: { [REFUND_META]: reference } }, { idempotencyKey });
        if (refund.status === 'failed' || refund.status === 'canceled') return { status: 'failed', retryable: false, message: refund.failure_reason ?? 'Stripe could not refund this payment.' };
        return { status: refund.status === 'succeeded' ? 'succeeded' : 'pending', refundId: refund.id };
      } catch (err) {
        // Connection problems and Stripe's own errors may pass; a refused request will not.
        const retryable = err instanceof Stripe.errors.StripeConnectionError || err instanceof Stripe.errors.StripeAPIError || err instanceof Stripe.errors.StripeRateLimitError;
        return { status: 'failed', retryable, message: message(err) };
      }
    },

    parseWebhook({ rawBody, headers }): ProviderEvent | null {
      const signature = headers['stripe-signature'];
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(rawBody, typeof signature === 'string' ? signature : '', opts.webhookSecret, WEBHOOK_TOLERANCE_S);
      } catch (err) {
        throw new WebhookSignatureError(message(err));
      }
      const base = { id: event.id, createdAt: new Date(event.created * 1000) };
      const object = event.data.object as unknown as Record<string, unknown>;
      if (event.type.startsWith('payment_intent.')) {
        const pi = object as unknown as Stripe.PaymentIntent;
        return { ...base, type: 'payment.updated', reference: pi.metadata?.[META], transactionId: pi.id };
      }
      if (event.type.startsWith('checkout.session.')) {
        const s = object as unknown as Stripe.Checkout.Session;
        return { ...base, type: 'payment.updated', reference: s.metadata?.[META] ?? s.client_reference_id ?? undefined, sessionId: s.id, transactionId: idOf(s.payment_intent) };
      }
      if (event.type === 'refund.created' || event.type === 'refund.updated' || event.type === 'refund.failed' || event.type === 'charge.refund.updated') {
        const r = object as unknown as Stripe.Refund;
        const failed = r.status === 'failed' || event.type === 'refund.failed';
        return { ...base, type: failed ? 'refund.failed' : 'refund.succeeded', refundId: r.id, reference: r.metadata?.[REFUND_META], message: r.failure_reason ?? undefined };
      }
      if (event.type.startsWith('charge.dispute.')) {
        const d = object as unknown as Stripe.Dispute;
        const transactionId = idOf(d.payment_intent);
        if (!transactionId) return null;
        return {
          ...base,
          type: event.type === 'charge.dispute.closed' ? 'dispute.closed' : 'dispute.opened',
          transactionId,
          dispute: { id: d.id, status: d.status, reason: d.reason, amount: d.amount, currency: d.currency.toUpperCase() },
        };
      }
      return null;
    },
  };
}
