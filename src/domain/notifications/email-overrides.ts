// The shop's own subject, intro and closing for each customer email (see src/emails/email-texts.ts):
// validated on save (only the email's own variables, plain text, one-line subject), every
// save and revert recorded with who and when, and read by the outbox worker when it renders.
// Nothing is cached across requests: the worker reads the (small) table once per batch, so an
// edit made on one instance is used by the next batch on every instance.
import { and, desc, eq, isNotNull, or, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { Conn } from '../../db/client.ts';
import { emailOverrideHistory, emailOverrides, orders, outbox } from '../../db/schema.ts';
import { EMAIL_VARIABLES, TEXT_FIELDS, unknownVariables, type EmailTexts, type TextField } from '../../emails/email-texts.ts';
import { isTemplateName } from '../../emails/index.ts';
import type { StaffIdentity } from '../staff/staff-service.ts';
import { DomainError, notFound, validationFailed, type FieldErrors } from '../shared/errors.ts';
import type { TemplateName, TemplatePayloads } from './email-payloads.ts';
import { enqueueEmail } from './outbox.ts';

export const NO_TEXTS: EmailTexts = { subject: null, intro: null, closing: null };

const LIMITS: Record<TextField, number> = { subject: 200, intro: 2000, closing: 2000 };
const LABELS: Record<TextField, string> = { subject: 'Subject', intro: 'Intro', closing: 'Closing' };

export function templateOf(name: string): TemplateName {
  if (!isTemplateName(name)) throw notFound('Email');
  return name;
}

/**
 * Checks typed texts: empty means "keep the default"; a {{name}} not offered by this email is
 * refused with a message naming it; markup is not refused (it is shown as text, never run).
 */
export function validateTexts(template: TemplateName, input: Partial<Record<TextField, unknown>>): EmailTexts {
  const errors: FieldErrors = {};
  const texts = { ...NO_TEXTS };
  for (const field of TEXT_FIELDS) {
    const raw = input[field];
    const value = typeof raw === 'string' ? raw.replace(/\r\n?/g, '\n').trim() : '';
    if (value === '') continue;
    const unknown = unknownVariables(template, value);
    if (value.includes('\u0000')) errors[field] = `${LABELS[field]} contains a character that cannot be sent (NUL).`;
    else if (value.length > LIMITS[field]) errors[field] = `${LABELS[field]} is ${value.length} characters; at most ${LIMITS[field]}.`;
    else if (field === 'subject' && value.includes('\n')) errors[field] = 'Subject must be one line.';
    else if (unknown.length > 0) {
      const list = unknown.map((n) => `{{${n}}}`).join(', ');
      const offered = EMAIL_VARIABLES[template].map((n) => `{{${n}}}`).join(', ');
      errors[field] = `Unknown ${unknown.length === 1 ? 'variable' : 'variables'} ${list}. This email can use ${offered}.`;
    } else texts[field] = value;
  }
  if (Object.keys(errors).length > 0) throw validationFailed(errors);
  return texts;
}

const textsOf = (row: { subject: string | null; intro: string | null; closing: string | null } | undefined): EmailTexts =>
  row ? { subject: row.subject, intro: row.intro, closing: row.closing } : { ...NO_TEXTS };

export const isDefault = (t: EmailTexts) => TEXT_FIELDS.every((f) => t[f] === null);

/** Every email's overrides, for one outbox batch (emails without any are left out). */
export async function loadEmailTexts(conn: Conn): Promise<Map<string, EmailTexts>> {
  const rows = await conn
    .select()
    .from(emailOverrides)
    .where(or(isNotNull(emailOverrides.subject), isNotNull(emailOverrides.intro), isNotNull(emailOverrides.closing)));
  return new Map(rows.map((r) => [r.template, textsOf(r)]));
}

export async function emailTextsFor(conn: Conn, template: TemplateName): Promise<EmailTexts> {
  const [row] = await conn.select().from(emailOverrides).where(eq(emailOverrides.template, template));
  return textsOf(row);
}

/** Saves new texts (or, with `null`, goes back to the defaults) and records the change; returns the texts now in force. */
export async function changeEmailTexts(ctx: AppContext, by: StaffIdentity, template: TemplateName, input: Partial<Record<TextField, unknown>> | null): Promise<EmailTexts> {
  const after = input === null ? { ...NO_TEXTS } : validateTexts(template, input);
  return ctx.db.transaction(async (tx) => {
    // The row exists before it is locked, so two first saves cannot both read "no override".
    await tx.insert(emailOverrides).values({ template }).onConflictDoNothing();
    const [row] = await tx.select().from(emailOverrides).where(eq(emailOverrides.template, template)).for('update');
    const before = textsOf(row);
    if (JSON.stringify(before) === JSON.stringify(after)) return after;
    const at = ctx.clock.now();
    await tx.update(emailOverrides).set({ ...after, updatedAt: at, updatedBy: by.id }).where(eq(emailOverrides.template, template));
    await tx.insert(emailOverrideHistory).values({ template, action: input === null ? 'reverted' : 'saved', staffId: by.id, staffName: by.name, before, after, createdAt: at });
    return after;
  });
}

export type OverrideChange = typeof emailOverrideHistory.$inferSelect;

export async function emailTextHistory(conn: Conn, template: TemplateName, limit = 50): Promise<OverrideChange[]> {
  return conn.select().from(emailOverrideHistory).where(eq(emailOverrideHistory.template, template)).orderBy(desc(emailOverrideHistory.id)).limit(limit);
}

/** A real email to preview against: the payload the outbox last held for this email and order. */
export type PreviewSource<T extends TemplateName = TemplateName> = { orderNumber: string | null; payload: TemplatePayloads[T] };

/**
 * The latest email of this kind for order `orderNumber` (or, without a number, for the latest
 * order that got one). Undefined when there is none: the preview says so instead of inventing data.
 */
export async function previewSource<T extends TemplateName>(conn: Conn, template: T, orderNumber?: string): Promise<PreviewSource<T> | undefined> {
  const [row] = await conn
    .select({ payload: outbox.payload, orderNumber: orders.number })
    .from(outbox)
    .leftJoin(orders, eq(orders.id, outbox.orderId))
    .where(and(eq(outbox.channel, 'email'), eq(outbox.template, template), orderNumber ? eq(orders.number, orderNumber) : undefined))
    // Emails that belong to an order first: test sends and other copies have none.
    .orderBy(sql`${outbox.orderId} is null`, desc(outbox.id))
    .limit(1);
  return row ? { orderNumber: row.orderNumber, payload: row.payload as TemplatePayloads[T] } : undefined;
}

/** Queues this email, with the texts in force, to the signed-in staff member (not the customer). */
export async function sendTestEmail(ctx: AppContext, to: StaffIdentity, template: TemplateName, orderNumber?: string): Promise<PreviewSource> {
  const source = await previewSource(ctx.db, template, orderNumber);
  if (!source) throw new DomainError('conflict', orderNumber ? `Order ${orderNumber} has no email of this kind to send as a test.` : 'No email of this kind has been sent yet, so there is nothing to send as a test.');
  await ctx.db.transaction((tx) => enqueueEmail(tx, { template, to: to.email, payload: source.payload as never }));
  return source;
}
