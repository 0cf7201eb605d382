// Customers' requests to cancel or change an order before it ships. A request is its own
// record (pending → approved | declined) with a support case for the conversation, a line on
// the order's timeline and an email at each step.
//
// Asking: the order must match the customer's email or phone exactly as tracking does (same
// answers for an unknown order and a wrong contact, same limits), or come from a signed
// tracking link. Only before shipping (409 afterwards, with a reason the customer can read);
// a change may give a new address and lower or remove items, nothing else (422 naming why).
//
// Policy (settings.requests.autoApproveCancelIn): cancellations of orders nobody has started
// working on yet are approved in the same transaction that records them.
import { and, eq } from 'drizzle-orm';
import { forgetTrackedOrder } from '../tracking/tracking-view.ts';
import type { AppContext } from '../../context.ts';
import { orderRequests, supportCases } from '../../db/schema.ts';
import { enqueueEmail } from '../notifications/outbox.ts';
import type { OrderRequestPayload } from '../notifications/email-payloads.ts';
import { appendOrderEvent } from '../orders/order-events.ts';
import { lockOrder } from '../orders/order-service.ts';
import { DomainError, validationFailed } from '../shared/errors.ts';
import { openSupportCase } from '../support/support-cases.ts';
import { lookupOrder, type OrderRef } from '../tracking/lookup.ts';
import { trackingUrl } from '../tracking/tracking-token.ts';
import { describeChanges, planModification, type RequestedChanges } from './modification.ts';
import { AUTO_APPROVER, CUSTOMER, currentLines, REQUEST_MESSAGE_MAX, REQUEST_TYPES, isRequestType, tooLateFor, type NewOrderRequest, type ContactedOrderRequest, type OrderRequestType, type RequestOutcome } from './request-rules.ts';
import { afterCommit, approveLocked } from './request-decisions.ts';

function parseNewRequest(input: NewOrderRequest): { type: OrderRequestType; message: string; changes: RequestedChanges } {
  const message = (input.message ?? '').trim();
  const errors: Record<string, string> = {};
  if (!isRequestType(input.type)) errors.type = 'Choose "cancel" or "modify".';
  if (message.length > REQUEST_MESSAGE_MAX) errors.message = `Keep your message under ${REQUEST_MESSAGE_MAX.toLocaleString('en-US')} characters.`;
  if (Object.keys(errors).length) throw validationFailed(errors);
  return { type: input.type as OrderRequestType, message, changes: input.changes ?? {} };
}


/**
 * A request from someone who gives the order number and the email or phone used for it.
 * Unknown order or wrong contact: the tracking lookup's one 404 (and its rate limits).
 */
export async function createOrderRequest(ctx: AppContext, input: ContactedOrderRequest): Promise<RequestOutcome> {
  const order = await lookupOrder(ctx, { orderNumber: input.orderNumber, contact: input.contact, clientIp: input.clientIp });
  return createOrderRequestFor(ctx, order, input);
}

/** A request for an order the customer already proved is theirs (a lookup or a signed tracking link). */
export async function createOrderRequestFor(ctx: AppContext, ref: OrderRef, input: NewOrderRequest): Promise<RequestOutcome> {
  const outcome = await recordCreateOrderRequestFor(ctx, ref, input);
  // The customer is sent straight to the tracking page: it must show this change at once.
  forgetTrackedOrder(ctx, ref.id);
  return outcome;
}

async function recordCreateOrderRequestFor(ctx: AppContext, ref: OrderRef, input: NewOrderRequest): Promise<RequestOutcome> {
  const asked = parseNewRequest(input);
  const settings = ctx.settings();
  const outcome = await ctx.db.transaction(async (tx) => {
    const order = await lockOrder(tx, ref.number);
    const late = tooLateFor(order);
    if (late) throw late;
    const [same] = await tx
      .select({ number: supportCases.number })
      .from(orderRequests)
      .leftJoin(supportCases, eq(supportCases.id, orderRequests.caseId))
      .where(and(eq(orderRequests.orderId, order.id), eq(orderRequests.status, 'pending'), eq(orderRequests.type, asked.type)));
    if (same) {
      throw new DomainError(
        'conflict',
        `We already have your ${asked.type === 'cancel' ? 'cancellation' : 'change'} request for order ${order.number}${same.number ? ` (case ${same.number})` : ''} and will email you about it. To add to it, reply to our email.`,
      );
    }
    const plan = asked.type === 'modify' ? planModification(settings, order, await currentLines(tx, order.id), asked.changes) : undefined;

    const now = ctx.clock.now();
    const label = REQUEST_TYPES[asked.type];
    const wanted = plan ? describeChanges(plan.changes) : [];
    const opened = await openSupportCase(tx, ctx, {
      kind: 'order_request',
      orderId: order.id,
      name: order.shippingAddress.name,
      email: order.email,
      topic: 'Change or cancel an order',
      subject: `${label} request — order ${order.number}`,
      details: { orderNumber: order.number, requestType: asked.type },
      message: asked.message || (asked.type === 'cancel' ? 'Please cancel this order. (No message added.)' : `Please change this order:\n${wanted.map((l) => `• ${l}`).join('\n')}`),
    });
    const [request] = await tx
      .insert(orderRequests)
      .values({ orderId: order.id, caseId: opened.id, type: asked.type, status: 'pending', message: asked.message, changes: plan ? (plan.changes as Record<string, unknown>) : null, createdAt: now })
      .returning();
    await appendOrderEvent(tx, {
      orderId: order.id,
      type: 'request',
      actor: CUSTOMER,
      details: { requestId: request!.id, requestType: asked.type, status: 'pending', caseNumber: opened.number, message: `${label} requested by the customer (case ${opened.number})${wanted.length ? `: ${wanted.join('; ')}` : ''}` },
      at: now,
    });
    await enqueueEmail(tx, {
      template: 'order_request_received',
      to: order.email,
      orderId: order.id,
      caseId: opened.id,
      payload: { orderNumber: order.number, requestType: asked.type, caseNumber: opened.number, reason: asked.message || null, trackingUrl: trackingUrl(ctx, order.number) } satisfies OrderRequestPayload,
    });

    if (asked.type === 'cancel' && settings.requests.autoApproveCancelIn.includes(order.status)) {
      return approveLocked(ctx, tx, order, request!, AUTO_APPROVER);
    }
    return { request: request!, caseNumber: opened.number, order, refundId: null };
  });
  return afterCommit(ctx, outcome);
}
