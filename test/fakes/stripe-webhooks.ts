// The Stripe fake's webhook events (https://docs.stripe.com/api/events/object), signed the
// way Stripe signs them: `Stripe-Signature: t=<unix>,v1=HMAC-SHA256(secret, t + '.' + body)`,
// made by the real SDK's generateTestHeaderString. Stripe does not promise order or single
// delivery; tests reorder and repeat events on purpose with hold + deliver().
import Stripe from 'stripe';
import { now, stripeId, type StripeObject } from './stripe-objects.ts';
import type { Ctx } from './stripe-payments.ts';

export type StripeEventLike = {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  type: string;
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  data: { object: StripeObject };
};

export class WebhookOutbox {
  url: string | undefined;
  /** immediate: each event is POSTed right after the change, in order; hold: kept until deliver(). */
  mode: 'immediate' | 'hold' = 'immediate';
  /** Every event emitted, whatever the mode. */
  readonly events: StripeEventLike[] = [];
  private held: StripeEventLike[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private readonly sdk: Stripe;

  constructor(
    secretKey: string,
    private readonly secret: string,
  ) {
    this.sdk = new Stripe(secretKey);
  }

  /** Records the event with a snapshot of the object as it is now. */
  emit(type: string, object: StripeObject, ctx: Ctx): StripeEventLike {
    const event: StripeEventLike = {
      id: stripeId('evt_'),
      object: 'event',
      api_version: Stripe.API_VERSION,
      created: now(),
      type,
      livemode: false,
      pending_webhooks: 1,
      request: { id: ctx.requestId, idempotency_key: ctx.idempotencyKey },
      data: { object: structuredClone(object) },
    };
    this.events.push(event);
    if (this.mode === 'hold') this.held.push(event);
    else if (this.url) this.queue = this.queue.then(() => this.post(event));
    return event;
  }

  /** Resolves once every event sent in immediate mode so far has been answered. */
  async flush(): Promise<void> {
    await this.queue;
  }

  heldEvents(): StripeEventLike[] {
    return [...this.held];
  }

  /** POSTs held events (all, or those with `ids`), one after another; their HTTP statuses (0: no answer). */
  async deliver(opts: { ids?: string[]; reverse?: boolean; duplicate?: boolean } = {}): Promise<number[]> {
    const chosen = opts.ids ? this.held.filter((e) => opts.ids!.includes(e.id)) : [...this.held];
    this.held = this.held.filter((e) => !chosen.includes(e));
    if (opts.reverse) chosen.reverse();
    const statuses: number[] = [];
    for (const event of chosen) {
      for (let i = 0; i < (opts.duplicate ? 2 : 1); i++) statuses.push(await this.post(event));
    }
    return statuses;
  }

  private async post(event: StripeEventLike): Promise<number> {
    // Stripe sends its events pretty-printed; receivers must verify the exact bytes.
    return (await this.sendSigned(JSON.stringify(event, null, 2))).status;
  }

  /** A raw POST to the webhook URL signed with `secret` (default: the right one), at `timestamp`. */
  async sendSigned(payload: string, opts: { secret?: string; timestamp?: number } = {}): Promise<{ status: number; body: string }> {
    if (!this.url) throw new Error('Stripe fake: no webhook URL set (setWebhookUrl)');
    const signature = this.sdk.webhooks.generateTestHeaderString({ payload, secret: opts.secret ?? this.secret, timestamp: opts.timestamp });
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signature, 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' },
        body: payload,
        signal: AbortSignal.timeout(10_000),
      });
      return { status: res.status, body: await res.text() };
    } catch {
      return { status: 0, body: '' };
    }
  }
}
