// Opening a customer-service case: one row in the support inbox with its first message, a
// readable number to give the customer, and a first-reply due time counted in service
// hours. Every way a customer reaches us (contact form, order request, delivery problem,
// after-sales application) opens its case through here, inside its own transaction.
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import { caseMessages, supportCases } from '../../db/schema.ts';
import { readableNumber } from '../shared/ids.ts';
import { addServiceHours } from './service-hours.ts';

/** contact, order_request, delivery_problem, after_sales */
export type SupportCaseKind = 'contact' | 'order_request' | 'delivery_problem' | 'after_sales';

export type NewSupportCase = {
  kind: SupportCaseKind;
  orderId?: string | null;
  /** The customer's name and email: where replies go. */
  name: string;
  email: string;
  /** Short category shown in the inbox, e.g. "Delivery problem". */
  topic: string;
  subject: string;
  details?: Record<string, unknown>;
  /** The customer's first message and the blob keys of any photos. */
  message: string;
  attachments?: string[];
};

export type OpenedCase = { id: string; number: string; dueAt: Date };

export async function openSupportCase(tx: Tx, ctx: AppContext, c: NewSupportCase): Promise<OpenedCase> {
  const now = ctx.clock.now();
  const settings = ctx.settings();
  const [row] = await tx
    .insert(supportCases)
    .values({
      number: readableNumber('SC-'),
      kind: c.kind,
      status: 'open',
      orderId: c.orderId ?? null,
      name: c.name,
      email: c.email,
      topic: c.topic,
      subject: c.subject,
      details: c.details ?? {},
      dueAt: addServiceHours(settings.serviceHours, now, settings.serviceHours.firstReplyHours),
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: supportCases.id, number: supportCases.number, dueAt: supportCases.dueAt });
  await tx.insert(caseMessages).values({ caseId: row!.id, kind: 'customer', body: c.message, attachments: c.attachments ?? [], createdAt: now });
  return row!;
}
