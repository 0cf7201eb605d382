// A card processor built into the store, for development, demos and tests. It behaves like
// a real provider in every way checkout can see: a payment session, a hosted payment page
// of its own (/sandbox/pay/{session}, the only place a sandbox test card is typed),
// 3-D Secure-like confirmation, signed webhooks that may arrive late or twice, captures,
// voids and refunds with idempotency keys. Its books live in the database (sandbox_payments,
// sandbox_refunds), so every instance and every restart sees the same payments.
//
// Test cards for the page are in sandbox-cards.ts; API clients pass tokens instead
// (sandbox_visa, sandbox_declined, sandbox_3ds …, also in sandbox-cards.ts).
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { sandboxPayments, sandboxRefunds } from '../../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { validationFailed } from '../shared/errors.ts';
import { summarizeCard, cardBrand, DECLINE_MESSAGES, SANDBOX_TEST_CARDS, SANDBOX_TOKENS, validateCard, normalizeCardNumber, type CardInput } from './sandbox-cards.ts';
import {
  WebhookSignatureError,
  type DeclineCode,
  type PaymentProvider,
  type PaymentState,
  type ProviderEvent,
  type ProviderPayment,
  type RefundResult,
} from './provider.ts';

export const SANDBOX_SIGNATURE_HEADER = 'x-sandbox-signature';
/** Signatures older than this are refused, as Stripe's default tolerance does. */
const SIGNATURE_TOLERANCE_S = 300;

type Row = typeof sandboxPayments.$inferSelect;

/** Delivers one signed webhook to the store, as the provider's servers would over HTTP. */
export type WebhookReceiver = (delivery: { rawBody: Buffer; headers: Record<string, string> }) => Promise<unknown>;

export type SandboxOptions = { db: Db; clock: Clock; publicUrl: string; signingKey: string };

/** What the shopper's attempt on the sandbox page came to. */
export type SandboxPayOutcome =
  | { kind: 'paid'; returnUrl: string }
  | { kind: 'needs_3ds' }
  | { kind: 'declined'; message: string; fields?: Record<string, string> }
  | { kind: 'closed'; returnUrl: string };

export interface SandboxProvider extends PaymentProvider {
  /** The session as its payment page shows it; undefined for an unknown id. */
  session(id: string): Promise<Row | undefined>;
  /** The shopper submits a card on the sandbox page. */
  pay(id: string, card: CardInput): Promise<SandboxPayOutcome>;
  /** The shopper approves (or refuses) the 3-D Secure-like step. */
  authenticate(id: string, approve: boolean): Promise<SandboxPayOutcome>;
  /** Where webhooks go (the store's own webhook handler). */
  setWebhookReceiver(receiver: WebhookReceiver): void;
  /** `hold` keeps webhooks back until deliverHeld() (tests: late, reordered, duplicated, lost). */
  webhookMode: 'immediate' | 'hold';
  deliverHeld(opts?: { reverse?: boolean; duplicate?: boolean; drop?: boolean }): Promise<void>;
  /** Waits for webhooks in flight (on shutdown, and in tests). */
  drain(): Promise<void>;
  /** Test hook: the next `n` refunds fail as a retryable outage. */
  failRefunds(n: number): void;
  /** Test hook: the next `n` calls of any kind throw, as an unreachable provider. */
  failCalls(n: number): void;
  /** Test hooks: a chargeback opened and closed by the card network. */
  openDispute(transactionId: string, reason?: string): Promise<string>;
  closeDispute(transactionId: string, disputeId: string, status: 'won' | 'lost'): Promise<void>;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const randomId = (prefix: string) => `${prefix}_${Array.from({ length: 24 }, () => BASE62[randomInt(62)]).join('')}`;

const STATE_OF: Record<string, PaymentState> = { open: 'open', awaiting_3ds: 'open', authorized: 'authorized', captured: 'captured', canceled: 'canceled' };

export function createSandboxProvider(opts: SandboxOptions): SandboxProvider {
  const { db, clock } = opts;
  let failNextRefunds = 0;
  let failNextCalls = 0;
  let receiver: WebhookReceiver | undefined;
  const held: { rawBody: Buffer; headers: Record<string, string> }[] = [];
  const inFlight = new Set<Promise<unknown>>();

  const outage = () => {
    if (failNextCalls > 0) {
      failNextCalls--;
      throw new Error('Sandbox: simulated network failure (the processor did not answer)');
    }
  };

  const pageUrl = (id: string) => `${opts.publicUrl}/sandbox/pay/${id}`;

  function view(row: Row): ProviderPayment {
    const status = STATE_OF[row.status] ?? 'open';
    const declineCode = (row.declineCode ?? undefined) as DeclineCode | undefined;
    return {
      sessionId: row.id,
      transactionId: row.id,
      status,
      amount: row.amount,
      currency: row.currency,
      amountCaptured: row.amountCaptured,
      card: row.cardLast4 ? { brand: row.cardBrand ?? 'card', last4: row.cardLast4, expMonth: row.cardExpMonth ?? undefined, expYear: row.cardExpYear ?? undefined } : undefined,
      declineCode,
      message: declineCode ? DECLINE_MESSAGES[declineCode] : undefined,
      redirectUrl: status === 'open' ? pageUrl(row.id) : undefined,
    };
  }

  function sign(payload: string, at = clock.now()): string {
    const t = Math.floor(at.getTime() / 1000);
    return `t=${t},v1=${createHmac('sha256', opts.signingKey).update(`${t}.${payload}`).digest('hex')}`;
  }

  /** Sends (or holds) one event; delivery failures are the receiver's to retry through reconciliation, as with a real provider. */
  function emit(type: string, data: Record<string, unknown>) {
    const payload = JSON.stringify({ id: randomId('sbx_evt'), type, created: Math.floor(clock.now().getTime() / 1000), data });
    const delivery = { rawBody: Buffer.from(payload), headers: { 'content-type': 'application/json', [SANDBOX_SIGNATURE_HEADER]: sign(payload) } };
    if (provider.webhookMode === 'hold') held.push(delivery);
    else send(delivery);
  }

  function send(delivery: { rawBody: Buffer; headers: Record<string, string> }) {
    if (!receiver) return;
    const p = new Promise((resolve) => setImmediate(resolve)).then(() => receiver!(delivery)).catch(() => {});
    inFlight.add(p);
    p.finally(() => inFlight.delete(p));
  }

  async function load(id: string): Promise<Row | undefined> {
    const [row] = await db.select().from(sandboxPayments).where(eq(sandboxPayments.id, id));
    return row;
  }

  type CardSummary = { brand: string; last4: string; expMonth?: number; expYear?: number };

  /** Marks the session paid from `from` states (the webhook follows); the paid row, or undefined when it was no longer in them. */
  async function markPaid(row: Row, card: CardSummary, from: string[]): Promise<Row | undefined> {
    const captured = row.captureMethod === 'automatic';
    const [paid] = await db
      .update(sandboxPayments)
      .set({
        status: captured ? 'captured' : 'authorized',
        amountCaptured: captured ? row.amount : 0,
        cardBrand: card.brand,
        cardLast4: card.last4,
        cardExpMonth: card.expMonth ?? null,
        cardExpYear: card.expYear ?? null,
        declineCode: null,
      })
      .where(and(eq(sandboxPayments.id, row.id), inArray(sandboxPayments.status, from)))
      .returning();
    if (paid) emit('payment.succeeded', { paymentId: row.id, reference: row.reference });
    return paid;
  }

  async function settle(row: Row, card: CardSummary, from: string[]): Promise<SandboxPayOutcome> {
    return (await markPaid(row, card, from)) ? { kind: 'paid', returnUrl: row.returnUrl } : { kind: 'closed', returnUrl: row.returnUrl };
  }

  async function decline(row: Row, code: DeclineCode, final: boolean): Promise<SandboxPayOutcome> {
    await db
      .update(sandboxPayments)
      .set({ declineCode: code, ...(final ? { status: 'canceled' } : {}) })
      .where(eq(sandboxPayments.id, row.id));
    emit('payment.failed', { paymentId: row.id, reference: row.reference });
    return { kind: 'declined', message: DECLINE_MESSAGES[code] };
  }

  const provider: SandboxProvider = {
    name: 'sandbox',
    webhookMode: 'immediate',

    async createSession(input) {
      outage();
      if (input.method.kind === 'token' && !SANDBOX_TOKENS[input.method.token]) {
        throw validationFailed({ 'payment.paymentMethod': `Unknown sandbox payment method; use one of ${Object.keys(SANDBOX_TOKENS).join(', ')}` });
      }
      const id = randomId('sbx_pay');
      const [created] = await db
        .insert(sandboxPayments)
        .values({
          id,
          reference: input.reference,
          idempotencyKey: input.idempotencyKey,
          amount: input.amount,
          currency: input.currency.toUpperCase(),
          captureMethod: input.captureMethod,
          status: 'open',
          description: input.description,
          returnUrl: input.returnUrl,
          cancelUrl: input.cancelUrl,
        })
        .onConflictDoNothing({ target: sandboxPayments.idempotencyKey })
        .returning();
      // A repeat with the same key gets the first session, as a provider's idempotency does.
      const row = created ?? (await db.select().from(sandboxPayments).where(eq(sandboxPayments.idempotencyKey, input.idempotencyKey)))[0]!;
      if (input.method.kind !== 'token' || !created) return view(row);

      const token = SANDBOX_TOKENS[input.method.token]!;
      const outcome = SANDBOX_TEST_CARDS[token.card];
      // A token cannot answer a bank's question: an API checkout needing 3-D Secure is declined.
      if (outcome === '3ds') await decline(row, 'authentication_required', true);
      else if (outcome) await decline(row, outcome, true);
      else {
        const paid = await markPaid(row, { brand: token.brand, last4: token.card.slice(-4), expMonth: 12, expYear: clock.now().getUTCFullYear() + 3 }, ['open']);
        if (paid) return view(paid);
      }
      return view((await load(id))!);
    },

    async retrieve({ sessionId }) {
      outage();
      const row = await load(sessionId);
      if (!row) throw new Error(`Sandbox: no payment ${sessionId}`);
      return view(row);
    },

    async capture({ transactionId, amount }) {
      outage();
      const [done] = await db
        .update(sandboxPayments)
        .set({ status: 'captured', amountCaptured: amount })
        .where(and(eq(sandboxPayments.id, transactionId), eq(sandboxPayments.status, 'authorized'), sql`${sandboxPayments.amount} >= ${amount}`, sql`${amount} > 0`))
        .returning();
      if (done) return { status: 'captured' };
      const row = await load(transactionId);
      // Asked again after a success (a retry with the same key): the same answer.
      if (row?.status === 'captured' && row.amountCaptured === amount) return { status: 'captured' };
      if (!row) return { status: 'failed', message: 'No such payment.' };
      if (row.status === 'canceled') return { status: 'failed', message: 'This payment was released and can no longer be captured.' };
      if (row.status === 'captured') return { status: 'failed', message: 'This payment has already been captured.' };
      return { status: 'failed', message: amount > row.amount ? 'The capture amount exceeds the authorized amount.' : 'This payment is not authorized.' };
    },

    async void({ sessionId }) {
      outage();
      const [done] = await db
        .update(sandboxPayments)
        .set({ status: 'canceled' })
        .where(and(eq(sandboxPayments.id, sessionId), inArray(sandboxPayments.status, ['open', 'awaiting_3ds', 'authorized', 'canceled'])))
        .returning();
      if (done) return { status: 'voided' };
      return (await load(sessionId)) ? { status: 'failed', message: 'This payment has been captured; refund it instead.' } : { status: 'failed', message: 'No such payment.' };
    },

    async refund({ transactionId, amount, currency, idempotencyKey }): Promise<RefundResult> {
      outage();
      if (failNextRefunds > 0) {
        failNextRefunds--;
        return { status: 'failed', retryable: true, message: 'Sandbox: simulated processor outage' };
      }
      const refused = (message: string): RefundResult => ({ status: 'failed', retryable: false, message });
      if (!Number.isSafeInteger(amount) || amount <= 0) return refused('The refund amount must be a positive number of cents.');
      return db.transaction(async (tx) => {
        const [again] = await tx.select().from(sandboxRefunds).where(eq(sandboxRefunds.idempotencyKey, idempotencyKey));
        if (again) return { status: 'succeeded', refundId: again.id };
        const [row] = await tx.select().from(sandboxPayments).where(eq(sandboxPayments.id, transactionId)).for('update');
        if (!row) return refused('No such payment.');
        if (row.status !== 'captured') return refused('This payment has not been captured; there is nothing to refund.');
        if (currency.toUpperCase() !== row.currency) return refused(`The refund currency must be ${row.currency}, the payment's currency.`);
        if (row.amountRefunded + amount > row.amountCaptured) {
          return refused(`The refund exceeds what is left to refund on this payment (${row.amountCaptured - row.amountRefunded} of ${row.amountCaptured} cents).`);
        }
        const id = randomId('sbx_re');
        await tx.insert(sandboxRefunds).values({ id, paymentId: row.id, idempotencyKey, amount });
        await tx.update(sandboxPayments).set({ amountRefunded: row.amountRefunded + amount }).where(eq(sandboxPayments.id, row.id));
        emit('refund.succeeded', { paymentId: row.id, refundId: id });
        return { status: 'succeeded', refundId: id };
      });
    },

    parseWebhook({ rawBody, headers }): ProviderEvent | null {
      const header = headers[SANDBOX_SIGNATURE_HEADER];
      const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(typeof header === 'string' ? header : '');
      if (!m) throw new WebhookSignatureError(`The ${SANDBOX_SIGNATURE_HEADER} header is missing or malformed.`);
      const expected = createHmac('sha256', opts.signingKey).update(`${m[1]}.`).update(rawBody).digest();
      if (!timingSafeEqual(expected, Buffer.from(m[2]!, 'hex'))) throw new WebhookSignatureError('The webhook signature does not match the body.');
      if (Math.abs(clock.now().getTime() / 1000 - Number(m[1])) > SIGNATURE_TOLERANCE_S) throw new WebhookSignatureError('The webhook signature is too old.');
      const event = JSON.parse(rawBody.toString('utf8')) as { id: string; type: string; created: number; data: Record<string, string> };
      const base = { id: event.id, createdAt: new Date(event.created * 1000) };
      const d = event.data;
      switch (event.type) {
        case 'payment.succeeded':
        case 'payment.failed':
          return { ...base, type: 'payment.updated', reference: d.reference, sessionId: d.paymentId, transactionId: d.paymentId };
        case 'refund.succeeded':
          return { ...base, type: 'refund.succeeded', refundId: d.refundId! };
        case 'dispute.opened':
        case 'dispute.closed':
          return {
            ...base,
            type: event.type,
            transactionId: d.paymentId!,
            dispute: { id: d.disputeId!, status: d.status!, reason: d.reason!, amount: Number(d.amount), currency: d.currency! },
          };
        default:
          return null;
      }
    },

    session: load,

    async pay(id, card) {
      const row = await load(id);
      if (!row) return { kind: 'declined', message: 'This payment session does not exist.' };
      if (row.status !== 'open') return { kind: 'closed', returnUrl: row.returnUrl };
      const fields = validateCard(card, clock.now());
      if (Object.keys(fields).length) return { kind: 'declined', message: 'Check the card details.', fields };
      const outcome = SANDBOX_TEST_CARDS[normalizeCardNumber(card.number)];
      if (outcome === '3ds') {
        const summary = summarizeCard(card);
        await db
          .update(sandboxPayments)
          .set({ status: 'awaiting_3ds', cardBrand: summary.brand, cardLast4: summary.last4, cardExpMonth: summary.expMonth, cardExpYear: summary.expYear })
          .where(and(eq(sandboxPayments.id, id), eq(sandboxPayments.status, 'open')));
        return { kind: 'needs_3ds' };
      }
      // A declined card leaves the session open: the shopper may try another one.
      if (outcome) return decline(row, outcome, false);
      if (cardBrand(card.number) === 'other') return { kind: 'declined', message: 'This card is not supported. Try Visa, Mastercard, American Express or Discover.' };
      return settle(row, summarizeCard(card), ['open']);
    },

    async authenticate(id, approve) {
      const row = await load(id);
      if (!row) return { kind: 'declined', message: 'This payment session does not exist.' };
      if (row.status !== 'awaiting_3ds') return row.status === 'open' ? { kind: 'declined', message: 'Enter the card details first.' } : { kind: 'closed', returnUrl: row.returnUrl };
      if (approve) return settle(row, { brand: row.cardBrand ?? 'card', last4: row.cardLast4 ?? '', expMonth: row.cardExpMonth ?? undefined, expYear: row.cardExpYear ?? undefined }, ['awaiting_3ds']);
      await db.update(sandboxPayments).set({ status: 'open', cardBrand: null, cardLast4: null }).where(eq(sandboxPayments.id, id));
      return decline(row, 'authentication_required', false);
    },

    setWebhookReceiver(r) {
      receiver = r;
    },

    async deliverHeld({ reverse = false, duplicate = false, drop = false } = {}) {
      const batch = held.splice(0, held.length);
      if (drop || !receiver) return;
      const order = reverse ? batch.reverse() : batch;
      for (const d of order) {
        await receiver(d);
        if (duplicate) await receiver(d);
      }
    },

    async drain() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },

    failRefunds(n) {
      failNextRefunds = Math.max(0, Math.floor(n));
    },
    failCalls(n) {
      failNextCalls = Math.max(0, Math.floor(n));
    },

    async openDispute(transactionId, reason = 'fraudulent') {
      const row = await load(transactionId);
      const disputeId = randomId('sbx_dp');
      emit('dispute.opened', { paymentId: transactionId, disputeId, status: 'needs_response', reason, amount: String(row?.amountCaptured ?? 0), currency: row?.currency ?? 'USD' });
      return disputeId;
    },
    async closeDispute(transactionId, disputeId, status) {
      const row = await load(transactionId);
      emit('dispute.closed', { paymentId: transactionId, disputeId, status, reason: 'fraudulent', amount: String(row?.amountCaptured ?? 0), currency: row?.currency ?? 'USD' });
    },
  };
  return provider;
}
