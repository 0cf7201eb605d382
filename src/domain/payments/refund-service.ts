// Refunds as their own records: pending → succeeded | failed. A refund is *requested*
// inside the transaction of the change that causes it (cancellation, modification,
// return), and *processed* after that transaction commits, because the payment provider
// is outside our database and cannot be rolled back. A provider outage leaves the refund
// pending with a backoff; the retrier (jobs/refund-retrier.ts) tries again. The refund's
// id is the provider idempotency key, so a retry can never pay out twice.
import { and, asc, eq, inArray, isNull, like, lte, ne, or, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import { orders, payments, refunds } from '../../db/schema.ts';
import { DomainError, notFound, validationFailed } from '../shared/errors.ts';
import { formatMoney } from '../shared/money.ts';
import { appendOrderEvent, type Actor } from '../orders/order-events.ts';
import { enqueueEmail } from '../notifications/outbox.ts';
import type { RefundInfo, RefundIssuedPayload } from '../notifications/email-payloads.ts';
import { trackingUrl } from '../tracking/tracking-token.ts';
import type { RefundResult } from './provider.ts';

export type Refund = typeof refunds.$inferSelect;
type Payment = typeof payments.$inferSelect;

/** What caused a refund. */
export type RefundSource = 'cancellation' | 'modification' | 'return' | 'goodwill';

export type RefundRequest = {
  orderId: string;
  /** Cents, > 0. */
  amount: number;
  /** Shown to the customer in the refund email. */
  reason: string;
  source: RefundSource;
  sourceId?: string | null;
  /** One key per cause (e.g. `cancel:<orderId>`): asking again returns the refund already made. */
  idempotencyKey: string;
};

/** The refund and the card it goes back to (for the customer's emails). */
export type RequestedRefund = { refund: Refund; info: RefundInfo };

/** After this many provider calls a refund stops retrying by itself and waits for staff. */
export const REFUND_MAX_ATTEMPTS = 6;
/** A claimed refund belongs to one process this long; a crashed process's claim then expires. */
const CLAIM_LEASE_MS = 2 * 60_000;
/** 30 s, 2 min, 8 min, 32 min, then every 2 h: outages usually last minutes, sometimes hours. */
const refundBackoffMs = (attempts: number) => Math.min(30_000 * 4 ** Math.max(0, attempts - 1), 2 * 3600_000);

const PAYMENTS_ACTOR: Actor = { kind: 'system', name: 'payments' };

const refundInfo = (refund: Refund, payment: Payment): RefundInfo => ({
  amount: refund.amount,
  currency: refund.currency,
  brand: payment.cardBrand ?? 'card',
  last4: payment.cardLast4 ?? '',
});

/**
 * The payments that hold the customer's money for this order, newest first: captured, or
 * authorized and still to be captured. Usually one; an edit that made the order cost more
 * adds a second for the difference, and a refund takes from the newest first.
 */
async function chargedPayments(tx: Tx, orderId: string): Promise<Payment[]> {
  return tx
    .select()
    .from(payments)
    .where(and(eq(payments.orderId, orderId), inArray(payments.status, ['captured', 'authorized', 'capturing'])))
    .orderBy(sql`${payments.createdAt} desc`);
}

/** Cents of the payment already refunded or on their way back (failed refunds do not count). */
async function committedRefunds(tx: Tx, paymentId: string): Promise<number> {
  const [row] = await tx
    .select({ total: sql<number>`coalesce(sum(${refunds.amount}), 0)::int` })
    .from(refunds)
    .where(and(eq(refunds.paymentId, paymentId), ne(refunds.status, 'failed')));
  return Number(row?.total ?? 0);
}

/** Each charged payment with what is left to refund on it, newest first. */
async function leftOnPayments(tx: Tx, orderId: string): Promise<{ payment: Payment; left: number }[]> {
  const list = [];
  for (const payment of await chargedPayments(tx, orderId)) list.push({ payment, left: payment.amount - (await committedRefunds(tx, payment.id)) });
  return list;
}

/** What is left to refund on the order's payments, in cents (0 without one). Call with the order row locked. */
export async function refundableAmount(tx: Tx, orderId: string): Promise<number> {
  return (await leftOnPayments(tx, orderId)).reduce((n, p) => n + p.left, 0);
}

/** The key of the part of a refund taken from the order's `index`-th payment (the first part keeps the request's key). */
const partKey = (key: string, index: number) => (index === 0 ? key : `${key}#${index + 1}`);

function overRefund(amount: number, left: number, paid: number, currency: string): DomainError {
  return new DomainError(
    'conflict',
    `A refund of ${formatMoney(amount, currency)} would exceed what is left to refund on this order (${formatMoney(left, currency)} of ${formatMoney(paid, currency)}).`,
    { refundable: left },
  );
}

/**
 * Records a pending refund inside the caller's transaction. Locks the order row so two
 * refunds of one order are checked one after the other; refuses (409) a refund that would
 * take the total beyond what was captured. A repeat with the same idempotency key returns
 * the refund made the first time, never a second one.
 */
export async function requestRefund(tx: Tx, r: RefundRequest): Promise<RequestedRefund> {
  if (!Number.isSafeInteger(r.amount) || r.amount <= 0) throw validationFailed({ amount: 'The refund amount must be a positive number of cents.' });
  const reason = r.reason.trim();
  if (!reason) throw validationFailed({ reason: 'Say why the money goes back.' });
  const [order] = await tx.select({ id: orders.id }).from(orders).where(eq(orders.id, r.orderId)).for('update');
  if (!order) throw notFound('Order');

  const [existing] = await tx.select().from(refunds).where(eq(refunds.idempotencyKey, r.idempotencyKey));
  if (existing) {
    if (existing.orderId !== r.orderId) throw new DomainError('idempotency_conflict', 'This refund key belongs to another order.');
    const [payment] = await tx.select().from(payments).where(eq(payments.id, existing.paymentId));
    return { refund: existing, info: refundInfo(existing, payment!) };
  }

  const charged = await leftOnPayments(tx, r.orderId);
  if (charged.length === 0) throw new DomainError('conflict', 'This order has no payment to refund.');
  const left = charged.reduce((n, p) => n + p.left, 0);
  const paid = charged.reduce((n, p) => n + p.payment.amount, 0);
  if (r.amount > left) throw overRefund(r.amount, left, paid, charged[0]!.payment.currency);

  // Newest payment first; a refund larger than what is left on it takes the rest from the older one(s).
  const parts: Refund[] = [];
  let rest = r.amount;
  for (const { payment, left: onThis } of charged) {
    if (rest === 0) break;
    const amount = Math.min(rest, onThis);
    if (amount <= 0) continue;
    rest -= amount;
    const [refund] = await tx
      .insert(refunds)
      .values({
        orderId: r.orderId,
        paymentId: payment.id,
        amount,
        currency: payment.currency,
        status: 'pending',
        reason,
        source: r.source,
        sourceId: r.sourceId ?? null,
        idempotencyKey: partKey(r.idempotencyKey, parts.length),
        // The capture (capture-service.ts) reads the refunds under this same order lock, so it takes the amount net of this one.
        release: payment.status === 'authorized',
      })
      .returning();
    parts.push(refund!);
  }
  const first = parts[0]!;
  const payment = charged.find((c) => c.payment.id === first.paymentId)!.payment;
  return { refund: first, info: { ...refundInfo(first, payment), amount: r.amount } };
}

/**
 * Sends a pending refund to the payment provider, outside any transaction. Claims the row
 * first (skipping it if another process holds it or it is not due yet), so each refund is
 * with one process at a time. Returns the refund as it stands afterwards.
 */
export async function processRefund(ctx: AppContext, refundId: string): Promise<Refund> {
  const now = ctx.clock.now();
  const claimed = await ctx.db.transaction(async (tx) => {
    const [refund] = await tx
      .select()
      .from(refunds)
      .where(and(eq(refunds.id, refundId), eq(refunds.status, 'pending'), or(isNull(refunds.nextAttemptAt), lte(refunds.nextAttemptAt, now))))
      .for('update', { skipLocked: true });
    if (!refund) return undefined;
    const [payment] = await tx.select().from(payments).where(eq(payments.id, refund.paymentId));
    const [claim] = await tx
      .update(refunds)
      .set({ attempts: refund.attempts + 1, nextAttemptAt: new Date(now.getTime() + CLAIM_LEASE_MS), updatedAt: now })
      .where(eq(refunds.id, refund.id))
      .returning();
    return { refund: claim!, payment: payment! };
  });
  if (!claimed) {
    const [current] = await ctx.db.select().from(refunds).where(eq(refunds.id, refundId));
    if (!current) throw notFound('Refund');
    return current;
  }

  const { refund, payment } = claimed;
  let result: RefundResult;
  try {
    if (refund.release) result = await releaseFromAuthorization(ctx, refund, payment);
    else if (payment.status === 'capturing') result = { status: 'failed', retryable: true, message: 'The payment is being captured; the refund follows once it is.' };
    else if (payment.providerTransactionId) {
      result = await ctx.payments.get(payment.provider).refund({
        transactionId: payment.providerTransactionId,
        amount: refund.amount,
        currency: refund.currency,
        idempotencyKey: refund.id,
        reference: refund.id,
      });
    } else result = { status: 'failed', retryable: false, message: 'The payment has no provider transaction to refund.' };
  } catch (err) {
    // A thrown error (network, timeout) says nothing about the outcome: retrying with the same key is safe.
    result = { status: 'failed', retryable: true, message: err instanceof Error ? err.message : String(err) };
  }
  return recordOutcome(ctx, refund, payment, result);
}

/**
 * A refund of money that was only reserved: nothing goes back through the card network.
 * The capture takes the amount net of it; when nothing is left to capture, the whole
 * authorization is voided so the customer's bank releases it at once.
 */
async function releaseFromAuthorization(ctx: AppContext, refund: Refund, payment: Payment): Promise<RefundResult> {
  const released = { status: 'succeeded', refundId: '' } as const;
  const [current] = await ctx.db.select().from(payments).where(eq(payments.id, payment.id));
  if (current!.status !== 'authorized') return released;
  const [row] = await ctx.db
    .select({ total: sql<number>`coalesce(sum(${refunds.amount}), 0)::int` })
    .from(refunds)
    .where(and(eq(refunds.paymentId, payment.id), ne(refunds.status, 'failed')));
  if (Number(row?.total ?? 0) < current!.amount) return released;
  const voided = await ctx.payments
    .get(payment.provider)
    .void({ sessionId: current!.providerSessionId ?? '', transactionId: current!.providerTransactionId, idempotencyKey: `${refund.id}:void` });
  if (voided.status !== 'voided') return { status: 'failed', retryable: true, message: voided.message };
  await ctx.db.update(payments).set({ status: 'voided', updatedAt: sql`now()` }).where(and(eq(payments.id, payment.id), eq(payments.status, 'authorized')));
  return released;
}

async function recordOutcome(ctx: AppContext, refund: Refund, payment: Payment, result: RefundResult): Promise<Refund> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const stillOurs = and(eq(refunds.id, refund.id), eq(refunds.status, 'pending'));
    const [order] = await tx.select().from(orders).where(eq(orders.id, refund.orderId));
    // A refund the provider still calls pending almost always succeeds; a late failure arrives as a webhook (payment-webhooks.ts).
    if (result.status === 'succeeded' || result.status === 'pending') {
      const [done] = await tx
        .update(refunds)
        .set({ status: 'succeeded', providerRefundId: result.refundId || null, lastError: null, nextAttemptAt: null, updatedAt: now })
        .where(stillOurs)
        .returning();
      // Another process recorded it already (its lease expired mid-call): its event and email stand.
      if (!done) return (await tx.select().from(refunds).where(eq(refunds.id, refund.id)))[0]!;
      const info = refundInfo(done, payment);
      await appendOrderEvent(tx, {
        orderId: refund.orderId,
        type: 'refund',
        actor: PAYMENTS_ACTOR,
        details: { refundId: done.id, amount: done.amount, currency: done.currency, source: done.source, reason: done.reason },
        at: now,
      });
      await enqueueEmail(tx, {
        template: 'refund_issued',
        to: order!.email,
        orderId: order!.id,
        payload: { orderNumber: order!.number, ...info, reason: done.reason, trackingUrl: trackingUrl(ctx, order!.number) } satisfies RefundIssuedPayload,
      });
      return done;
    }

    const giveUp = !result.retryable || refund.attempts >= REFUND_MAX_ATTEMPTS;
    const [updated] = await tx
      .update(refunds)
      .set(
        giveUp
          ? { status: 'failed', lastError: result.message, nextAttemptAt: null, updatedAt: now }
          : { lastError: result.message, nextAttemptAt: new Date(now.getTime() + refundBackoffMs(refund.attempts)), updatedAt: now },
      )
      .where(stillOurs)
      .returning();
    if (!updated) return (await tx.select().from(refunds).where(eq(refunds.id, refund.id)))[0]!;
    if (giveUp) {
      ctx.log.warn({ refundId: refund.id, attempts: refund.attempts, error: result.message }, 'refund failed; waiting for staff');
      await appendOrderEvent(tx, {
        orderId: refund.orderId,
        type: 'refund_failed',
        actor: PAYMENTS_ACTOR,
        internal: true,
        details: { refundId: refund.id, amount: refund.amount, currency: refund.currency, attempts: refund.attempts, error: result.message },
        at: now,
      });
    }
    return updated;
  });
}

/** Processes refunds whose next attempt is due (oldest first); returns how many were tried. */
export async function retryDueRefunds(ctx: AppContext, limit = 20): Promise<number> {
  const due = await ctx.db
    .select({ id: refunds.id })
    .from(refunds)
    .where(and(eq(refunds.status, 'pending'), or(isNull(refunds.nextAttemptAt), lte(refunds.nextAttemptAt, ctx.clock.now()))))
    .orderBy(asc(refunds.createdAt))
    .limit(limit);
  for (const { id } of due) {
    try {
      await processRefund(ctx, id);
    } catch (err) {
      ctx.log.error({ err, refundId: id }, 'processing a refund failed');
    }
  }
  return due.length;
}

/**
 * Staff send a failed refund again (e.g. after fixing the cause with the provider). It
 * counts against what is left to refund again, so the over-refund check runs once more.
 */
export async function retryRefund(ctx: AppContext, refundId: string, actor: Actor): Promise<Refund> {
  await ctx.db.transaction(async (tx) => {
    const [found] = await tx.select({ orderId: refunds.orderId }).from(refunds).where(eq(refunds.id, refundId));
    if (!found) throw notFound('Refund');
    await tx.select({ id: orders.id }).from(orders).where(eq(orders.id, found.orderId)).for('update');
    const [refund] = await tx.select().from(refunds).where(eq(refunds.id, refundId)).for('update');
    if (refund!.status !== 'failed') throw new DomainError('conflict', `Only a failed refund can be tried again; this one is ${refund!.status}.`);
    const [payment] = await tx.select().from(payments).where(eq(payments.id, refund!.paymentId));
    const left = payment!.amount - (await committedRefunds(tx, payment!.id));
    if (refund!.amount > left) throw overRefund(refund!.amount, left, payment!.amount, payment!.currency);
    await tx
      .update(refunds)
      .set({ status: 'pending', attempts: 0, nextAttemptAt: null, lastError: null, updatedAt: ctx.clock.now() })
      .where(eq(refunds.id, refundId));
    await appendOrderEvent(tx, {
      orderId: refund!.orderId,
      type: 'refund_retry',
      actor,
      internal: true,
      details: { refundId, amount: refund!.amount, currency: refund!.currency },
      at: ctx.clock.now(),
    });
  });
  return processRefund(ctx, refundId);
}

/** Processes the refunds a change just requested, after its transaction committed. A provider
 * problem never undoes the change: the refund stays pending and the retrier takes it from there. */
export async function processRefundsAfterCommit(ctx: AppContext, refundIds: string[]): Promise<void> {
  // A refund split over several payments: its other parts carry its key with "#2", "#3".
  const named = refundIds.length ? await ctx.db.select({ key: refunds.idempotencyKey }).from(refunds).where(inArray(refunds.id, refundIds)) : [];
  const escaped = (key: string) => key.replace(/[\\%_]/g, (c) => `\\${c}`);
  const parts = named.length
    ? await ctx.db
        .select({ id: refunds.id })
        .from(refunds)
        .where(and(eq(refunds.status, 'pending'), or(...named.map((n) => like(refunds.idempotencyKey, `${escaped(n.key)}#%`)))))
    : [];
  for (const id of [...new Set([...refundIds, ...parts.map((p) => p.id)])]) {
    try {
      await processRefund(ctx, id);
    } catch (err) {
      ctx.log.error({ err, refundId: id }, 'processing a refund failed; the retrier will try again');
    }
  }
}

