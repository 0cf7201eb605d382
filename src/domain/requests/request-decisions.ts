// Deciding: approve and decline are each one transaction with the order row locked, and
// approval checks again that the order has not shipped meanwhile, so a cancellation and a
// handover to the carrier at the same moment never both succeed. A cancellation is the
// order service's cancel verb (stock back, full refund); a change rewrites the order's lines
// and totals, puts removed units back on the shelf and refunds the difference. Refunds are
// keyed by the request, so the same request never pays out twice; they go to the payment
// provider after commit, and the refund retrier takes over when the provider fails.
import { and, eq, ne } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import { orderItems, orderRequests, orders, refunds, type Address } from '../../db/schema.ts';
import { adjustStock } from '../inventory/inventory-service.ts';
import { enqueueEmail } from '../notifications/outbox.ts';
import type { OrderRequestPayload } from '../notifications/email-payloads.ts';
import { actorLabel, appendOrderEvent, type Actor } from '../orders/order-events.ts';
import { cancel, type Order } from '../orders/order-service.ts';
import { ORDER_STATES, type OrderStatus } from '../orders/order-states.ts';
import { processRefundsAfterCommit, refundableAmount, requestRefund } from '../payments/refund-service.ts';
import { DomainError, notFound, validationFailed } from '../shared/errors.ts';
import { formatMoney } from '../shared/money.ts';
import { recordCaseMessage, resolveCase } from '../support/support-service.ts';
import { trackingUrl } from '../tracking/tracking-token.ts';
import { describeChanges, planModification, requestedFromStored, type StoredChanges } from './modification.ts';
import { caseNumberOf, currentLines, DECLINE_REASON_MAX, REQUEST_TYPES, tooLateFor, type OrderRequest, type OrderRequestType, type RequestOutcome } from './request-rules.ts';


export type Decided = { request: OrderRequest; caseNumber: string | null; order: Order; refundId: string | null };

export async function afterCommit(ctx: AppContext, d: Decided): Promise<RequestOutcome> {
  if (!d.refundId) return { ...d, refund: null };
  await processRefundsAfterCommit(ctx, [d.refundId]);
  const [refund] = await ctx.db.select().from(refunds).where(eq(refunds.id, d.refundId));
  return { request: d.request, caseNumber: d.caseNumber, order: d.order, refund: refund ?? null };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Locks the request's order, then the request, and checks it is still waiting for a decision. */
async function lockPending(tx: Tx, id: string): Promise<{ order: Order; request: OrderRequest }> {
  const [found] = UUID.test(id) ? await tx.select({ orderId: orderRequests.orderId }).from(orderRequests).where(eq(orderRequests.id, id)) : [];
  if (!found) throw notFound('Request');
  // The order first, as every order change does: requests and order verbs queue on one lock.
  const [order] = await tx.select().from(orders).where(eq(orders.id, found.orderId)).for('update');
  const [request] = await tx.select().from(orderRequests).where(eq(orderRequests.id, id)).for('update');
  if (request!.status !== 'pending') {
    throw new DomainError('conflict', `This request has already been ${request!.status}${request!.decidedBy ? ` by ${request!.decidedBy}` : ''}.`, { status: request!.status });
  }
  return { order: order!, request: request! };
}

/** Approves a pending request: the order is cancelled or changed now, or a 409 says why it no longer can be. */
export async function approveRequest(ctx: AppContext, id: string, actor: Actor): Promise<RequestOutcome> {
  const decided = await ctx.db.transaction(async (tx) => {
    const { order, request } = await lockPending(tx, id);
    const late = tooLateFor(order);
    if (late) throw late;
    return approveLocked(ctx, tx, order, request, actor);
  });
  return afterCommit(ctx, decided);
}

/** Declines a pending request with a reason the customer is emailed. */
export async function declineRequest(ctx: AppContext, id: string, actor: Actor, reason: string): Promise<RequestOutcome> {
  const why = (reason ?? '').trim();
  if (!why) throw validationFailed({ reason: 'Say why, in words for the customer: the reason is emailed to them.' });
  if (why.length > DECLINE_REASON_MAX) throw validationFailed({ reason: `Keep the reason under ${DECLINE_REASON_MAX} characters.` });
  const decided = await ctx.db.transaction(async (tx) => {
    const { order, request } = await lockPending(tx, id);
    const now = ctx.clock.now();
    const [declined] = await tx
      .update(orderRequests)
      .set({ status: 'declined', declineReason: why, decidedBy: actorLabel(actor), decidedAt: now })
      .where(eq(orderRequests.id, request.id))
      .returning();
    const caseNumber = await caseNumberOf(tx, request.caseId);
    const label = REQUEST_TYPES[request.type as OrderRequestType] ?? request.type;
    await appendOrderEvent(tx, {
      orderId: order.id,
      type: 'request',
      actor,
      details: { requestId: request.id, requestType: request.type, status: 'declined', caseNumber, message: `${label} request declined: ${why}` },
      at: now,
    });
    await enqueueEmail(tx, {
      template: 'order_request_declined',
      to: order.email,
      orderId: order.id,
      ...(request.caseId ? { caseId: request.caseId } : {}),
      payload: { orderNumber: order.number, requestType: request.type as OrderRequestType, caseNumber, reason: why, trackingUrl: trackingUrl(ctx, order.number) } satisfies OrderRequestPayload,
    });
    if (request.caseId) {
      await recordCaseMessage(tx, { caseId: request.caseId, kind: 'system', body: `${label} request declined by ${actorName(actor)}. Reason given to the customer: ${why}`, staffId: staffIdOf(actor), at: now });
      await resolveCase(ctx, tx, request.caseId);
    }
    return { request: declined!, caseNumber, order, refundId: null };
  });
  return afterCommit(ctx, decided);
}

/** The field messages of a refused change, as one sentence for a person. */
const reasonsOf = (err: DomainError) => Object.values((err.details as { fields?: Record<string, string> } | undefined)?.fields ?? {}).join(' ') || err.message;

const staffIdOf = (a: Actor) => (a.kind === 'staff' ? a.staffId : null);
const actorName = (a: Actor) => (a.kind === 'staff' ? a.email : a.kind === 'system' ? 'the store’s policy' : 'the customer');

/** The approval itself, on the locked order and request (the caller checked it is not too late). */
export async function approveLocked(ctx: AppContext, tx: Tx, order: Order, request: OrderRequest, actor: Actor): Promise<Decided> {
  const now = ctx.clock.now();
  const caseNumber = await caseNumberOf(tx, request.caseId);
  const { refundId, summary, order: after } =
    request.type === 'cancel' ? await approveCancellation(ctx, tx, order, request, actor, caseNumber) : await approveChange(ctx, tx, order, request, actor, caseNumber);
  const [approved] = await tx
    .update(orderRequests)
    .set({ status: 'approved', decidedBy: actorLabel(actor), decidedAt: now })
    .where(eq(orderRequests.id, request.id))
    .returning();
  const label = REQUEST_TYPES[request.type as OrderRequestType] ?? request.type;
  await appendOrderEvent(tx, {
    orderId: order.id,
    type: 'request',
    actor,
    details: { requestId: request.id, requestType: request.type, status: 'approved', caseNumber, refundId, message: `${label} request approved: ${summary}` },
    at: now,
  });
  if (request.caseId) {
    const how = actor.kind === 'system' ? `automatically by store policy (the order was ${ORDER_STATES[order.status as OrderStatus]?.toLowerCase() ?? order.status})` : `by ${actorName(actor)}`;
    await recordCaseMessage(tx, { caseId: request.caseId, kind: 'system', body: `${label} request approved ${how}: ${summary}`, staffId: staffIdOf(actor), at: now });
    await resolveCase(ctx, tx, request.caseId);
  }
  return { request: approved!, caseNumber, order: after, refundId };
}

type Applied = { refundId: string | null; summary: string; order: Order };

/**
 * The order service's cancel verb does the work (stock back, full refund, the customer's
 * cancellation email). Other requests still waiting for this order no longer apply.
 */
async function approveCancellation(ctx: AppContext, tx: Tx, order: Order, request: OrderRequest, actor: Actor, caseNumber: string | null): Promise<Applied> {
  const change = await cancel(ctx, order.number, actor, { reason: `Cancelled at the customer's request${caseNumber ? ` (case ${caseNumber})` : ''}` }, { tx });
  const refund = change.refund?.refund;
  const now = ctx.clock.now();
  const superseded = await tx
    .update(orderRequests)
    .set({ status: 'declined', declineReason: 'The order was cancelled, so this request no longer applies.', decidedBy: actorLabel(actor), decidedAt: now })
    .where(and(eq(orderRequests.orderId, order.id), eq(orderRequests.status, 'pending'), ne(orderRequests.id, request.id)))
    .returning();
  for (const other of superseded) {
    if (!other.caseId) continue;
    await recordCaseMessage(tx, { caseId: other.caseId, kind: 'system', body: 'The order was cancelled, so this request no longer applies.', at: now });
    await resolveCase(ctx, tx, other.caseId);
  }
  return {
    refundId: refund?.id ?? null,
    summary: `order cancelled, stock returned${refund ? `, refund of ${formatMoney(refund.amount, refund.currency)} requested` : ''}`,
    order: change.order,
  };
}

/**
 * Applies a change: the address replaced, quantities lowered (lines removed at 0), each
 * line's tax share and the totals recomputed as checkout does, removed units back on the
 * shelf, and the difference refunded under a key made from the request.
 */
async function approveChange(ctx: AppContext, tx: Tx, order: Order, request: OrderRequest, actor: Actor, caseNumber: string | null): Promise<Applied> {
  const now = ctx.clock.now();
  const lines = await currentLines(tx, order.id);
  let plan;
  try {
    plan = planModification(ctx.settings(), order, lines, requestedFromStored((request.changes ?? {}) as StoredChanges));
  } catch (err) {
    // The order changed since the customer asked (e.g. an earlier change was approved).
    if (!(err instanceof DomainError && err.code === 'validation_failed')) throw err;
    throw new DomainError('conflict', `This change can no longer be made to the order as it is now: ${reasonsOf(err)}`, err.details);
  }

  for (const line of plan.lines) {
    const before = lines.find((l) => l.id === line.id)!;
    if (line.quantity === 0) await tx.delete(orderItems).where(eq(orderItems.id, line.id));
    else if (line.quantity !== before.quantity || line.tax !== before.tax) {
      await tx.update(orderItems).set({ quantity: line.quantity, lineTotal: line.lineTotal, discount: line.discount, tax: line.tax }).where(eq(orderItems.id, line.id));
    }
    if (line.removed > 0 && before.variantId) {
      await adjustStock(tx, { variantId: before.variantId, delta: line.removed, reason: 'modify', orderId: order.id, staffId: staffIdOf(actor), note: `Order ${order.number} changed at the customer's request` });
    }
  }
  const [updated] = await tx
    .update(orders)
    .set({
      shippingAddress: plan.address as Address,
      subtotal: plan.totals.subtotal,
      discount: plan.totals.discount,
      shipping: plan.totals.shipping,
      tax: plan.totals.tax,
      total: plan.totals.total,
      taxRateBp: plan.totals.taxRateBp,
      shippingTax: plan.totals.shippingTax,
      taxBreakdown: plan.totals.jurisdictions,
      updatedAt: now,
    })
    .where(eq(orders.id, order.id))
    .returning();

  // Whatever is left on the payment bounds the refund (an earlier refund may have taken part of it).
  const amount = Math.min(plan.refund, await refundableAmount(tx, order.id));
  const refund =
    amount > 0
      ? await requestRefund(tx, { orderId: order.id, amount, reason: 'Order changed at your request', source: 'modification', sourceId: request.id, idempotencyKey: `request:${request.id}` })
      : undefined;

  const changed = describeChanges(plan.changes);
  const totals = `total ${formatMoney(order.total, order.currency)} → ${formatMoney(plan.totals.total, order.currency)}`;
  await enqueueEmail(tx, {
    template: 'order_request_approved',
    to: order.email,
    orderId: order.id,
    ...(request.caseId ? { caseId: request.caseId } : {}),
    payload: {
      orderNumber: order.number,
      requestType: 'modify',
      caseNumber,
      reason: [...changed, `New order total: ${formatMoney(plan.totals.total, order.currency)}`].join('\n'),
      trackingUrl: trackingUrl(ctx, order.number),
      refund: refund?.info ?? null,
    } satisfies OrderRequestPayload,
  });
  return {
    refundId: refund?.refund.id ?? null,
    summary: `${changed.join('; ')}; ${totals}${refund ? `, refund of ${formatMoney(refund.refund.amount, refund.refund.currency)} requested` : ''}`,
    order: updated!,
  };
}

// ------------------------------------------------------------------ reading

export type ChangePreview = { subtotal: number; tax: number; shipping: number; total: number; refund: number; currency: string } | { problem: string };

/** What approving a pending change would do to the order as it is now (for staff deciding), or why it no longer can. */
export async function previewChange(ctx: AppContext, request: OrderRequest): Promise<ChangePreview | undefined> {
  if (request.type !== 'modify' || request.status !== 'pending') return undefined;
  const [order] = await ctx.db.select().from(orders).where(eq(orders.id, request.orderId));
  if (!order) return undefined;
  const late = tooLateFor(order);
  if (late) return { problem: late.message };
  try {
    const plan = planModification(ctx.settings(), order, await currentLines(ctx.db, order.id), requestedFromStored((request.changes ?? {}) as StoredChanges));
    return { subtotal: plan.totals.subtotal, tax: plan.totals.tax, shipping: plan.totals.shipping, total: plan.totals.total, refund: plan.refund, currency: order.currency };
  } catch (err) {
    if (!(err instanceof DomainError && err.code === 'validation_failed')) throw err;
    return { problem: reasonsOf(err) };
  }
}
