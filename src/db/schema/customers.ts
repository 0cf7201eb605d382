// Returning customers without passwords: one-time sign-in links and codes, and the short
// customer sessions they open. A customer is nobody but a proven email address or phone
// number; their orders are the orders placed with it. Only hashes of secrets are stored.
import { index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, ts } from './columns.ts';

/** A contact proven in a session: an email (lower case) or a phone number (E.164). */
export type CustomerContact = { kind: 'email' | 'phone'; value: string };

/** A sign-in link (email) or code (SMS) asked for; it works once, until it expires. */
export const customerSignIns = pgTable(
  'customer_sign_ins',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** email or phone */
    contactKind: text('contact_kind').notNull(),
    /** lower-case email or E.164 phone */
    contact: text('contact').notNull(),
    /** SHA-256 of the link's token (email) or of the id and the six-digit code (SMS). */
    secretHash: text('secret_hash').notNull().unique(),
    /** Wrong codes typed for this sign-in; a few end it. */
    failedAttempts: integer('failed_attempts').notNull().default(0),
    createdAt: createdAt(),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
  },
  (t) => [index('customer_sign_ins_expires_idx').on(t.expiresAt)],
);

/** A signed-in customer's browser session: the contacts it proved. */
export const customerSessions = pgTable(
  'customer_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    contacts: jsonb('contacts').$type<CustomerContact[]>().notNull(),
    createdAt: createdAt(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('customer_sessions_expires_idx').on(t.expiresAt)],
);
