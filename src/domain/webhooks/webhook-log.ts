// An endpoint's delivery log: its deliveries (outbox rows), newest first, each with its
// attempts (response code, duration, error); and "Resend", which queues the same event body
// again as a new delivery (a new X-Casanova-Delivery id; the event id stays, so a receiver
// that already has it can drop it).
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { Conn } from '../../db/client.ts';
import { outbox, webhookAttempts } from '../../db/schema.ts';
import { wakeOutboxWorkers } from '../notifications/outbox.ts';
import { DomainError, notFound } from '../shared/errors.ts';
import { findEndpoint } from './webhook-endpoints.ts';
import { enqueueWebhook } from './webhook-fanout.ts';

export type WebhookAttempt = { attempt: number; statusCode: number | null; durationMs: number; error: string | null; at: Date };

export type WebhookDelivery = {
  id: number;
  deliveryId: string;
  event: string;
  /** pending, sending, sent, failed */
  status: string;
  attempts: WebhookAttempt[];
  createdAt: Date;
  sentAt: Date | null;
  nextAttemptAt: Date | null;
  lastError: string | null;
  /** The JSON body exactly as sent. */
  body: string;
};

export async function endpointDeliveries(conn: Conn, endpointId: string, limit = 50): Promise<WebhookDelivery[]> {
  await findEndpoint(conn, endpointId);
  const rows = await conn
    .select()
    .from(outbox)
    .where(and(eq(outbox.channel, 'webhook'), eq(outbox.recipient, endpointId)))
    .orderBy(desc(outbox.id))
    .limit(limit);
  const attempts = rows.length
    ? await conn.select().from(webhookAttempts).where(inArray(webhookAttempts.outboxId, rows.map((r) => r.id))).orderBy(webhookAttempts.id)
    : [];
  return rows.map((r) => ({
    id: r.id,
    deliveryId: String(r.payload.deliveryId),
    event: r.template,
    status: r.status,
    attempts: attempts
      .filter((a) => a.outboxId === r.id)
      .map((a) => ({ attempt: a.attempt, statusCode: a.statusCode, durationMs: a.durationMs, error: a.error, at: a.createdAt })),
    createdAt: r.createdAt,
    sentAt: r.sentAt,
    nextAttemptAt: r.status === 'pending' ? r.nextAttemptAt : null,
    lastError: r.lastError,
    body: String(r.payload.body),
  }));
}

/** Queues delivery `outboxId` of this endpoint again, as a new delivery; returns its outbox id. */
export async function resendDelivery(ctx: AppContext, endpointId: string, outboxId: number): Promise<number> {
  const endpoint = await findEndpoint(ctx.db, endpointId);
  if (endpoint.status !== 'active') throw new DomainError('conflict', 'This endpoint is disabled: enable it before resending.');
  const [row] = Number.isSafeInteger(outboxId)
    ? await ctx.db
        .select()
        .from(outbox)
        .where(and(eq(outbox.id, outboxId), eq(outbox.channel, 'webhook'), eq(outbox.recipient, endpointId)))
    : [];
  if (!row) throw notFound('Delivery');
  return ctx.db.transaction(async (tx) => {
    const id = await enqueueWebhook(tx, endpointId, { type: row.template, body: String(row.payload.body) });
    await wakeOutboxWorkers(tx);
    return id;
  });
}
