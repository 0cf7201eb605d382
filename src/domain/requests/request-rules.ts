// The rules every order request follows, whoever acts on it: what can be asked, its states,
// and when it is too late (once the parcel is with the carrier).
import { asc, eq } from 'drizzle-orm';
import type { Conn, Tx } from '../../db/client.ts';
import { orderItems, orderRequests, supportCases } from '../../db/schema.ts';
import type { Actor } from '../orders/order-events.ts';
import type { Order } from '../orders/order-service.ts';
import { BEFORE_SHIPPING, isOrderStatus } from '../orders/order-states.ts';
import type { Refund } from '../payments/refund-service.ts';
import { DomainError } from '../shared/errors.ts';
import type { RequestedChanges } from './modification.ts';

/** What a customer can ask for, in the words staff see. */
export const REQUEST_TYPES = { cancel: 'Cancellation', modify: 'Change' } as const;
export type OrderRequestType = keyof typeof REQUEST_TYPES;
export const isRequestType = (s: unknown): s is OrderRequestType => typeof s === 'string' && Object.hasOwn(REQUEST_TYPES, s);

export const REQUEST_STATUSES = {
  /** Waiting for staff (or for nothing, when the policy approves it at once). */
  pending: 'Waiting for a decision',
  /** Carried out: the order is cancelled or changed, money on its way back. */
  approved: 'Approved',
  /** Not carried out, with the reason the customer was given. */
  declined: 'Declined',
} as const;
export type RequestStatus = keyof typeof REQUEST_STATUSES;

export type OrderRequest = typeof orderRequests.$inferSelect;

export const REQUEST_MESSAGE_MAX = 2000;
export const DECLINE_REASON_MAX = 500;

/** Who approves by policy. */
export const AUTO_APPROVER: Actor = { kind: 'system', name: 'auto-approve' };
export const CUSTOMER: Actor = { kind: 'customer' };

export type NewOrderRequest = { type: string; message?: string; changes?: RequestedChanges };
export type ContactedOrderRequest = NewOrderRequest & { orderNumber: string; contact: string; clientIp: string };

/** A request as it stands after an action, with its case and the refund it caused (if any). */
export type RequestOutcome = { request: OrderRequest; caseNumber: string | null; order: Order; refund: Refund | null };


/** The 409 for an order past the point of change, in words the customer can act on; undefined while still possible. */
export function tooLateFor(order: Pick<Order, 'number' | 'status'>): DomainError | undefined {
  if (isOrderStatus(order.status) && BEFORE_SHIPPING.includes(order.status)) return undefined;
  if (order.status === 'cancelled') {
    return new DomainError('conflict', `Order ${order.number} has been cancelled, so it can no longer be changed.`, { orderStatus: order.status });
  }
  return new DomainError(
    'conflict',
    `Order ${order.number} has already been handed to the carrier, so it can no longer be changed or cancelled. Once it arrives, you can ask for a return or an exchange.`,
    { orderStatus: order.status },
  );
}

export async function currentLines(conn: Conn, orderId: string) {
  const rows = await conn.select().from(orderItems).where(eq(orderItems.orderId, orderId)).orderBy(asc(orderItems.position));
  return rows.map((r) => ({ id: r.id, sku: r.sku, name: r.productName, unitPrice: r.unitPrice, quantity: r.quantity, variantId: r.variantId, tax: r.tax, taxCategory: r.taxCategory, discount: r.discount }));
}

export const caseNumberOf = async (tx: Tx, caseId: string | null) =>
  caseId ? ((await tx.select({ number: supportCases.number }).from(supportCases).where(eq(supportCases.id, caseId)))[0]?.number ?? null) : null;
