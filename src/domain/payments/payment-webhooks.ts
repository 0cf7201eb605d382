// What the payment provider tells us through its signed webhook. The signature is checked
// on the raw bytes by the provider's adapter; each event id is handled once (a redelivery
// is acknowledged and ignored); a failure forgets the id again so the provider's retry
// gets another go. Payment events never carry the state we act on: the payment is settled
// from what the provider says now, so late, repeated and reordered events are harmless.
import { and, eq, isNull, or, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { paymentWebhookEvents, payments, refunds } from '../../db/schema.ts';
import { DomainError, notFound } from '../shared/errors.ts';
import { appendOrderEvent, type Actor } from '../orders/order-events.ts';
import { settlePayment } from '../checkout/place-order.ts';
import { WebhookSignatureError, type ProviderEvent } from './provider.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PROVIDER_ACTOR = (name: string): Actor => ({ kind: 'system', name });

/** Dispute statuses after which the chargeback is over. */
const DISPUTE_CLOSED = new Set(['won', 'lost', 'warning_closed', 'charge_refunded']);

export type WebhookReceipt = { received: true; duplicate: boolean; type: string | null };

export async function receivePaymentWebhook(
  ctx: AppContext,
  providerName: string,
  delivery: { rawBody: Buffer; headers: Record<string, string | string[] | undefined> },
): Promise<WebhookReceipt> {
  if (!ctx.payments.names().includes(providerName)) throw notFound('Payment provider');
  const provider = ctx.payments.get(providerName);
  let event: ProviderEvent | null;
  try {
    event = provider.parseWebhook(delivery);
  } catch (err) {
    if (err instanceof WebhookSignatureError) throw new DomainError('bad_request', `Webhook refused: ${err.message}`);
    throw new DomainError('bad_request', 'The webhook body could not be read.');
  }
  if (!event) return { received: true, duplicate: false, type: null };

  const [fresh] = await ctx.db
    .insert(paymentWebhookEvents)
    .values({ provider: providerName, eventId: event.id, type: event.type })
    .onConflictDoNothing()
    .returning({ id: paymentWebhookEvents.eventId });
  if (!fresh) return { received: true, duplicate: true, type: event.type };
  try {
    await handle(ctx, providerName, event);
  } catch (err) {
    await ctx.db
      .delete(paymentWebhookEvents)
      .where(and(eq(paymentWebhookEvents.provider, providerName), eq(paymentWebhookEvents.eventId, event.id)))
      .catch(() => {});
    throw err;
  }
  return { received: true, duplicate: false, type: event.type };
}

async function handle(ctx: AppContext, providerName: string, event: ProviderEvent): Promise<void> {
  switch (event.type) {
    case 'payment.updated': {
      const payment = await findPayment(ctx, providerName, event);
      if (!payment) {
        ctx.log.warn({ provider: providerName, eventId: event.id }, 'payment webhook for a payment this store does not know');
        return;
      }
      // Already an order (usually: a token checkout placed it before its own webhook came): nothing left to settle.
      if (payment.purpose === 'order' && payment.orderId) return;
      await settlePayment(ctx, payment);
      return;
    }
    case 'refund.succeeded':
      // The refund was recorded when the provider answered our call; nothing more to do.
      return;
    case 'refund.failed':
      await refundFailedLater(ctx, providerName, event.refundId, event.reference, event.message);
      return;
    case 'dispute.opened':
    case 'dispute.closed':
      await recordDispute(ctx, providerName, event);
      return;
  }
}

async function findPayment(ctx: AppContext, providerName: string, e: { reference?: string; sessionId?: string; transactionId?: string }) {
  const conditions = [
    e.reference && UUID.test(e.reference) ? eq(payments.id, e.reference) : undefined,
    e.sessionId ? eq(payments.providerSessionId, e.sessionId) : undefined,
    e.transactionId ? eq(payments.providerTransactionId, e.transactionId) : undefined,
  ].filter((c) => c !== undefined);
  if (conditions.length === 0) return undefined;
  const [payment] = await ctx.db
    .select()
    .from(payments)
    .where(and(eq(payments.provider, providerName), or(...conditions)))
    .limit(1);
  return payment;
}

/**
 * Some refunds fail after the provider first accepted them (a closed card account). The
 * refund goes back to failed, so it counts as not refunded and staff see it with "Retry".
 */
async function refundFailedLater(ctx: AppContext, providerName: string, providerRefundId: string, reference: string | undefined, message: string | undefined) {
  await ctx.db.transaction(async (tx) => {
    const byId = reference && UUID.test(reference) ? eq(refunds.id, reference) : undefined;
    const [refund] = await tx
      .select()
      .from(refunds)
      .where(byId ? or(eq(refunds.providerRefundId, providerRefundId), byId) : eq(refunds.providerRefundId, providerRefundId))
      .for('update');
    if (!refund || refund.status === 'failed') return;
    const lastError = message ?? 'The card issuer refused the refund.';
    await tx.update(refunds).set({ status: 'failed', lastError, nextAttemptAt: null, updatedAt: ctx.clock.now() }).where(eq(refunds.id, refund.id));
    await appendOrderEvent(tx, {
      orderId: refund.orderId,
      type: 'refund_failed',
      actor: PROVIDER_ACTOR(providerName),
      internal: true,
      details: { refundId: refund.id, amount: refund.amount, currency: refund.currency, error: lastError },
      at: ctx.clock.now(),
    });
  });
}

/** A chargeback: shown on the order, its timeline and the dashboard. A late "opened" never reopens a closed dispute. */
async function recordDispute(ctx: AppContext, providerName: string, event: Extract<ProviderEvent, { type: 'dispute.opened' | 'dispute.closed' }>) {
  await ctx.db.transaction(async (tx) => {
    const [payment] = await tx
      .select()
      .from(payments)
      .where(and(eq(payments.provider, providerName), eq(payments.providerTransactionId, event.transactionId)))
      .for('update');
    if (!payment?.orderId) {
      ctx.log.warn({ provider: providerName, eventId: event.id }, 'dispute for a payment without an order');
      return;
    }
    const closing = event.type === 'dispute.closed';
    const { dispute } = event;
    const status = closing && !DISPUTE_CLOSED.has(dispute.status) ? 'lost' : dispute.status;
    const updated = await tx
      .update(payments)
      .set({ disputeId: dispute.id, disputeStatus: status, disputeReason: dispute.reason, disputeAmount: dispute.amount, updatedAt: sql`now()` })
      .where(
        closing
          ? eq(payments.id, payment.id)
          : and(eq(payments.id, payment.id), or(isNull(payments.disputeStatus), sql`${payments.disputeStatus} not in ('won', 'lost', 'warning_closed', 'charge_refunded')`)),
      )
      .returning({ id: payments.id });
    if (updated.length === 0) return;
    await appendOrderEvent(tx, {
      orderId: payment.orderId,
      type: closing ? 'dispute_closed' : 'dispute_opened',
      actor: PROVIDER_ACTOR(providerName),
      internal: true,
      details: { disputeId: dispute.id, status, reason: dispute.reason, amount: dispute.amount, currency: dispute.currency },
      at: event.createdAt,
    });
  });
}
