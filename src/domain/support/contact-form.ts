// The contact form: a message becomes a support case in the inbox, and the customer gets an
// acknowledgement saying when to expect a reply — counted in service hours, so a message
// sent on Friday evening is due on Monday, not on Saturday night. Submissions are limited
// per client address (shared rate-limit table), so nobody can flood the inbox.
import { DateTime } from 'luxon';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { orders } from '../../db/schema.ts';
import { normalizeEmail } from '../checkout/checkout-input.ts';
import { enqueueEmail } from '../notifications/outbox.ts';
import type { ContactAcknowledgementPayload } from '../notifications/email-payloads.ts';
import { validationFailed, type FieldErrors } from '../shared/errors.ts';
import { hit, rateLimited, waitText } from '../shared/rate-limit.ts';
import { normalizeOrderNumber } from '../tracking/lookup.ts';
import { zoneAbbreviation, type ServiceHours } from './service-hours.ts';
import { openSupportCase } from './support-cases.ts';

/** The topics a customer picks from, in the words they see. */
export const CONTACT_TOPICS = {
  order_status: 'Order status',
  change_or_cancel: 'Change or cancel an order',
  delivery_problem: 'Delivery problem',
  returns: 'Returns and refunds',
  product_question: 'Product question',
  other: 'Other',
} as const;
export type ContactTopic = keyof typeof CONTACT_TOPICS;
export const isContactTopic = (s: unknown): s is ContactTopic => typeof s === 'string' && Object.hasOwn(CONTACT_TOPICS, s);

/** Messages from one client address: enough for a few follow-ups, too few to flood the inbox. */
export const CONTACT_LIMIT = { limit: 5, windowMs: 60 * 60_000 };
export const CONTACT_MESSAGE_MAX = 5000;

export type ContactInput = { name?: string; email?: string; orderNumber?: string; topic?: string; message?: string };
export type ContactSent = { caseId: string; caseNumber: string; dueAt: Date; expectedReplyBy: string };

/**
 * "Monday, March 3 at 11:00 ET": a reply time in the shop's time zone, for the
 * acknowledgement email and the confirmation on the page.
 */
export function formatReplyBy(hours: ServiceHours, at: Date): string {
  const local = DateTime.fromJSDate(at, { zone: hours.timeZone }).setLocale('en-US');
  return `${local.toFormat("cccc, LLLL d 'at' H:mm")} ${zoneAbbreviation(hours, at)}`;
}

/** Validates the form in one pass, naming every field that needs attention (422). */
export function parseContactInput(input: ContactInput, orderPrefix: string) {
  const errors: FieldErrors = {};
  const name = (input.name ?? '').trim();
  const email = (input.email ?? '').trim();
  const typedOrder = (input.orderNumber ?? '').trim();
  const message = (input.message ?? '').trim();
  const orderNumber = typedOrder ? normalizeOrderNumber(typedOrder, orderPrefix) : undefined;

  if (!name) errors.name = 'Enter your name, so we know how to greet you.';
  else if (name.length > 100) errors.name = 'Use at most 100 characters.';
  if (!email) errors.email = 'Enter your email address: our reply goes there.';
  else if (email.length > 254 || !z.regexes.email.test(email)) errors.email = 'Enter a valid email address, like name@example.com.';
  if (typedOrder && !orderNumber) errors.orderNumber = `This does not look like an order number. It looks like ${orderPrefix}7K3M-9QX2; leave it empty if you have none.`;
  if (!isContactTopic(input.topic)) errors.topic = 'Choose what your message is about.';
  if (!message) errors.message = 'Write your message.';
  else if (message.length > CONTACT_MESSAGE_MAX) errors.message = `Keep your message under ${CONTACT_MESSAGE_MAX.toLocaleString('en-US')} characters.`;
  if (Object.keys(errors).length) throw validationFailed(errors);
  return { name, email: normalizeEmail(email), orderNumber, topic: input.topic as ContactTopic, message };
}

const firstLine = (text: string, max = 90) => {
  const line = text.split(/\r?\n/).find((l) => l.trim())?.trim() ?? text;
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/**
 * Opens a contact case and queues the acknowledgement, in one transaction. An order number
 * links the case to the order only when the email matches the order's: a stranger typing
 * someone else's number must not see it treated as theirs (the number is kept as typed).
 */
export async function sendContactMessage(ctx: AppContext, input: ContactInput, clientIp: string): Promise<ContactSent> {
  const settings = ctx.settings();
  const form = parseContactInput(input, settings.orderNumberPrefix);
  const limited = await hit(ctx.db, `contact:ip:${clientIp}`, CONTACT_LIMIT.limit, CONTACT_LIMIT.windowMs, ctx.clock.now());
  if (!limited.allowed) {
    throw rateLimited(limited.retryAfterSeconds, `You have sent several messages in a short time. Please wait ${waitText(limited.retryAfterSeconds)}, or call or email us.`);
  }

  return ctx.db.transaction(async (tx) => {
    const [order] = form.orderNumber ? await tx.select({ id: orders.id, email: orders.email }).from(orders).where(eq(orders.number, form.orderNumber)) : [];
    const linked = order && order.email.toLowerCase() === form.email.toLowerCase() ? order.id : null;
    const topic = CONTACT_TOPICS[form.topic];
    const opened = await openSupportCase(tx, ctx, {
      kind: 'contact',
      orderId: linked,
      name: form.name,
      email: form.email,
      topic,
      subject: firstLine(form.message),
      details: { topic: form.topic, ...(form.orderNumber ? { orderNumber: form.orderNumber, orderLinked: linked !== null } : {}) },
      message: form.message,
    });
    const expectedReplyBy = formatReplyBy(settings.serviceHours, opened.dueAt);
    await enqueueEmail(tx, {
      template: 'contact_acknowledgement',
      to: form.email,
      caseId: opened.id,
      ...(linked ? { orderId: linked } : {}),
      payload: { caseNumber: opened.number, name: form.name, topic, expectedReplyBy, message: form.message } satisfies ContactAcknowledgementPayload,
    });
    return { caseId: opened.id, caseNumber: opened.number, dueAt: opened.dueAt, expectedReplyBy };
  });
}
