// The store-wide view of the notification log for the mail screen: the latest outbox rows
// (every order and case together) and how many are in each delivery state. Per-order and
// per-case logs and the failed list are in notification-log.ts.
import { count, desc, eq } from 'drizzle-orm';
import type { Conn } from '../../db/client.ts';
import { orders, outbox, supportCases } from '../../db/schema.ts';
import { notFound } from '../shared/errors.ts';
import { canonicalOrderNumber } from '../orders/order-number.ts';
import { notificationLog, type DeliveryStatus, type FailedDelivery, type NotificationLogEntry } from './notification-log.ts';

export type RecentNotification = FailedDelivery;

/** The newest outbox rows first, with the order or case they are about. */
export async function recentNotifications(
  conn: Conn,
  { page = 1, pageSize = 50 }: { page?: number; pageSize?: number } = {},
): Promise<{ items: RecentNotification[]; total: number; page: number; pageSize: number }> {
  const size = Math.min(Math.max(1, Math.floor(pageSize)), 200);
  const current = Math.max(1, Math.floor(page));
  const items = await conn
    .select({
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
      orderId: outbox.orderId,
      orderNumber: orders.number,
      caseId: outbox.caseId,
      caseNumber: supportCases.number,
    })
    .from(outbox)
    .leftJoin(orders, eq(orders.id, outbox.orderId))
    .leftJoin(supportCases, eq(supportCases.id, outbox.caseId))
    .orderBy(desc(outbox.id))
    .limit(size)
    .offset((current - 1) * size);
  const [total] = await conn.select({ n: count() }).from(outbox);
  return {
    items: items.map((row) => ({ ...row, status: row.status as DeliveryStatus, nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt : null })),
    total: Number(total?.n ?? 0),
    page: current,
    pageSize: size,
  };
}

/** How many emails are in each delivery state (states with none are 0). */
export async function deliveryCounts(conn: Conn): Promise<Record<DeliveryStatus, number>> {
  const byStatus = await conn.select({ status: outbox.status, n: count() }).from(outbox).groupBy(outbox.status);
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
