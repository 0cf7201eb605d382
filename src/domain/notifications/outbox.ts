// The transactional outbox: whatever must tell someone is written here in the same
// transaction as the change that caused it; the worker (jobs/outbox-worker.ts) delivers it.
import type { Conn } from '../../db/client.ts';
import { outbox } from '../../db/schema.ts';

export type EmailMessage = {
  /** Template name (see notifications/templates). */
  template: string;
  to: string;
  payload: Record<string, unknown>;
  orderId?: string;
  caseId?: string;
};

export async function enqueueEmail(conn: Conn, m: EmailMessage): Promise<number> {
  const [row] = await conn
    .insert(outbox)
    .values({ channel: 'email', template: m.template, recipient: m.to, payload: m.payload, orderId: m.orderId ?? null, caseId: m.caseId ?? null })
    .returning({ id: outbox.id });
  return row!.id;
}
