// The notification log: what was sent about an order or a case, when, to whom, and how
// delivery went; store-wide, the latest emails, the failed ones and how many are in each
// state. The outbox rows are the log; nothing is copied elsewhere.
import { and, count, desc, eq, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { Conn } from '../../db/client.ts';
import { orders, outbox, supportCases } from '../../db/schema.ts';
import { DomainError, notFound } from '../shared/errors.ts';
import { canonicalOrderNumber } from '../orders/order-number.ts';
import { wakeOutboxWorkers } from './outbox.ts';

export type DeliveryStatus =
  /** Waiting for its first or next attempt (see nextAttemptAt). */
  | 'pending'
  /** A worker is sending it right now. */
  | 'sending'
  /** Accepted by the mail server (or written to the mail folder). */
  | 'sent'
  /** Gave up after the last attempt, or refused for good: staff can retry it. */
  | 'failed';

export type NotificationLogEntry = {
  id: number;
  template: string;
  recipient: string;
  /** Known once the email has been rendered (at its first attempt). */
  subject: string | null;
  status: DeliveryStatus;
  attempts: number;
  createdAt: Date;
  sentAt: Date | null;
  lastError: string | null;
  /** When the next attempt is due; null unless pending. */
  nextAttemptAt: Date | null;
};

/** A log entry with the order or case it is about, for the store-wide lists. */
export type Delivery = NotificationLogEntry & {
  orderId: string | null;
  orderNumber: string | null;
  caseId: string | null;
  caseNumber: string | null;
};

const entryColumns = {
  id: outbox.id,
  template: outbox.template,
  recipient: outbox.recipient,
  subject: outbox.subject,
  status: outbox.status,
  attempts: outbox.attempts,
  createdAt: outbox.createdAt,
  sentAt: outbox.sentAt,
  lastError: outbox.lastError,
  nextAttemptAt: outbox.nextAttemptAt,
};

const toEntry = <T extends { status: string; nextAttemptAt: Date }>(row: T) => ({
  ...row,
  status: row.status as DeliveryStatus,
  nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt : null,
});

/** Every email about an order and/or a case, oldest first. */
export async function notificationLog(conn: Conn, about: { orderId?: string; caseId?: string }): Promise<NotificationLogEntry[]> {
  const filters = [about.orderId ? eq(outbox.orderId, about.orderId) : undefined, about.caseId ? eq(outbox.caseId, about.caseId) : undefined].filter(
    (f): f is SQL => f !== undefined,
  );
  if (filters.length === 0) throw new DomainError('bad_request', 'Give an order or a case to show its notifications.');
  const rows = await conn.select(entryColumns).from(outbox).where(or(...filters)).orderBy(outbox.id);
  return rows.map(toEntry);
}

/** A page of deliveries, each with the order or case it is about. */
export type DeliveryPage = { items: Delivery[]; total: number; page: number; pageSize: number };

/**
 * The newest outbox rows first, with the order or case each is about: every delivery for
 * the mail screen's log, or only those in one state (the failed ones staff may retry).
 */
export async function listDeliveries(
  conn: Conn,
  { status, page = 1, pageSize = 50 }: { status?: DeliveryStatus; page?: number; pageSize?: number } = {},
): Promise<DeliveryPage> {
  const size = Math.min(Math.max(1, Math.floor(pageSize)), 200);
  const current = Math.max(1, Math.floor(page));
  // Webhook deliveries have their own log on each endpoint's page; label voids show on the order's timeline.
  const where = and(notInArray(outbox.channel, ['webhook', 'label']), status ? eq(outbox.status, status) : undefined);
  const items = await conn
    .select({ ...entryColumns, orderId: outbox.orderId, orderNumber: orders.number, caseId: outbox.caseId, caseNumber: supportCases.number })
    .from(outbox)
    .leftJoin(orders, eq(orders.id, outbox.orderId))
    .leftJoin(supportCases, eq(supportCases.id, outbox.caseId))
    .where(where)
    .orderBy(desc(outbox.id))
    .limit(size)
    .offset((current - 1) * size);
  const [totals] = await conn.select({ n: count() }).from(outbox).where(where);
  return { items: items.map(toEntry), total: Number(totals?.n ?? 0), page: current, pageSize: size };
}

/** Emails that gave up, newest first, for staff to look at and retry. */
export const failedDeliveries = (conn: Conn, paging: { page?: number; pageSize?: number } = {}): Promise<DeliveryPage> =>
  listDeliveries(conn, { ...paging, status: 'failed' });

/**
 * Puts a failed email back in the queue, due now. Its attempts are kept, so if it fails
 * again it is marked failed again at once rather than retried for another hour.
 */
export async function retryDelivery(conn: Conn, outboxId: number): Promise<NotificationLogEntry> {
  const [row] = await conn
    .update(outbox)
    .set({ status: 'pending', nextAttemptAt: sql`now()`, lockedUntil: null })
    .where(and(eq(outbox.id, outboxId), eq(outbox.status, 'failed')))
    .returning(entryColumns);
  if (!row) {
    const [existing] = await conn.select({ status: outbox.status }).from(outbox).where(eq(outbox.id, outboxId));
    if (!existing) throw notFound('Email delivery');
    throw new DomainError('conflict', `Only a failed email can be retried; this one is ${existing.status}.`, { status: existing.status });
  }
  await wakeOutboxWorkers(conn);
  return toEntry(row);
}

/** How many emails are in each delivery state (states with none are 0). */
export async function deliveryCounts(conn: Conn): Promise<Record<DeliveryStatus, number>> {
  const byStatus = await conn.select({ status: outbox.status, n: count() }).from(outbox).where(notInArray(outbox.channel, ['webhook', 'label'])).groupBy(outbox.status);
  const counts: Record<DeliveryStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0 };
  for (const row of byStatus) if (row.status in counts) counts[row.status as DeliveryStatus] = Number(row.n);
  return counts;
}

/** One order's notification log, found by its number as people type it. */
export async function orderNotifications(conn: Conn, number: string): Promise<{ number: string; items: NotificationLogEntry[] }> {
  const canonical = canonicalOrderNumber(number);
  const [order] = canonical ? await conn.select({ id: orders.id, number: orders.number }).from(orders).where(eq(orders.number, canonical)) : [];
  if (!order) throw notFound('Order');
  return { number: order.number, items: await notificationLog(conn, { orderId: order.id }) };
}
