// Editable customer emails: the shop's own subject, intro and closing for an email, and
// every change to them. The required blocks (items, totals, payment, tracking link) stay in
// code and are never stored here, so no override can remove them.
import { bigserial, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, ts } from './columns.ts';
import { staff } from './staff.ts';

/** The editable texts of one email; null means "the default from code". */
export type EmailTexts = { subject: string | null; intro: string | null; closing: string | null };

/** One row per email (template name) that has at least one text overridden. */
export const emailOverrides = pgTable('email_overrides', {
  template: text('template').primaryKey(),
  subject: text('subject'),
  intro: text('intro'),
  closing: text('closing'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  updatedBy: uuid('updated_by').references(() => staff.id, { onDelete: 'set null' }),
});

/** Every save and revert, kept for good: who, when, and the texts before and after. */
export const emailOverrideHistory = pgTable(
  'email_override_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    template: text('template').notNull(),
    /** saved, reverted */
    action: text('action').notNull(),
    staffId: uuid('staff_id').references(() => staff.id, { onDelete: 'set null' }),
    /** Kept as written then, so the history still names people whose account is gone. */
    staffName: text('staff_name').notNull(),
    before: jsonb('before').$type<EmailTexts>().notNull(),
    after: jsonb('after').$type<EmailTexts>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('email_override_history_template_idx').on(t.template, t.createdAt)],
);
