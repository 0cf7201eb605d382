// The transactional outbox: whatever must tell someone is written here in the same
// transaction as the change that caused it; the worker (jobs/outbox-worker.ts) delivers it.
import { sql } from 'drizzle-orm';
import type { Conn } from '../../db/client.ts';
import { outbox } from '../../db/schema.ts';
import type { TemplateName, TemplatePayloads } from './email-payloads.ts';

/** NOTIFY channel that wakes the outbox workers; PostgreSQL delivers it only when the transaction commits. */
export const OUTBOX_CHANNEL = 'casanova_outbox';

/** The NOTIFY that wakes the workers, as an expression (for a caller that folds it into a larger statement). */
export const wakeOutboxWorkersSql = () => sql`pg_notify(${OUTBOX_CHANNEL}, '')`;

/** Wakes every listening worker (once the caller's transaction commits). */
export async function wakeOutboxWorkers(conn: Conn): Promise<void> {
  await conn.execute(sql`select ${wakeOutboxWorkersSql()}`);
}

export type EmailMessage<T extends TemplateName = TemplateName> = {
  /** Template name (see src/emails); the payload must be of that template's type. */
  template: T;
  to: string;
  payload: TemplatePayloads[T];
  orderId?: string;
  caseId?: string;
};

/** The outbox row for `m`, for a caller that writes it within a larger statement (and wakes the workers itself). */
export const emailRow = <T extends TemplateName>(m: EmailMessage<T>) =>
  ({ channel: 'email', template: m.template, recipient: m.to, payload: m.payload as Record<string, unknown>, orderId: m.orderId ?? null, caseId: m.caseId ?? null }) as const;

export async function enqueueEmail<T extends TemplateName>(conn: Conn, m: EmailMessage<T>): Promise<number> {
  const [row] = await conn.insert(outbox).values(emailRow(m)).returning({ id: outbox.id });
  await wakeOutboxWorkers(conn);
  return row!.id;
}

/** A text message (one-time sign-in codes): the body is written out already, and the worker sends it as is. */
export async function enqueueSms(conn: Conn, m: { to: string; template: string; body: string }): Promise<number> {
  const [row] = await conn
    .insert(outbox)
    .values({ channel: 'sms', template: m.template, recipient: m.to, payload: { body: m.body } })
    .returning({ id: outbox.id });
  await wakeOutboxWorkers(conn);
  return row!.id;
}
