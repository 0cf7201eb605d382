// Customer service: the support inbox, its messages, and customers' cancel/modify requests.
import { bigserial, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, ts } from './columns.ts';
import { orders } from './orders.ts';
import { staff } from './staff.ts';

/** One support inbox: contact messages, order requests, delivery problems, after-sales. */
export const supportCases = pgTable(
  'support_cases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** e.g. SC-4F7K-2M9P, given to the customer */
    number: text('number').notNull().unique(),
    /** contact, order_request, delivery_problem, after_sales */
    kind: text('kind').notNull(),
    /** open, waiting_on_customer, resolved */
    status: text('status').notNull().default('open'),
    orderId: uuid('order_id').references(() => orders.id, { onDelete: 'set null' }),
    name: text('name').notNull(),
    email: text('email').notNull(),
    topic: text('topic').notNull(),
    subject: text('subject').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    assigneeId: uuid('assignee_id').references(() => staff.id, { onDelete: 'set null' }),
    dueAt: ts('due_at').notNull(),
    firstRepliedAt: ts('first_replied_at'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('support_cases_status_idx').on(t.status, t.dueAt), index('support_cases_order_idx').on(t.orderId)],
);

export const caseMessages = pgTable(
  'case_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => supportCases.id, { onDelete: 'cascade' }),
    /** customer, reply (sent to the customer), note (internal), system */
    kind: text('kind').notNull(),
    staffId: uuid('staff_id'),
    body: text('body').notNull(),
    /** Blob keys of attached photos. */
    attachments: jsonb('attachments').$type<string[]>().notNull().default([]),
    createdAt: createdAt(),
  },
  (t) => [index('case_messages_case_idx').on(t.caseId, t.id)],
);

/** A customer's request to cancel or modify an order before it ships. */
export const orderRequests = pgTable(
  'order_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    caseId: uuid('case_id').references(() => supportCases.id, { onDelete: 'set null' }),
    /** cancel, modify */
    type: text('type').notNull(),
    /** pending, approved, declined */
    status: text('status').notNull().default('pending'),
    message: text('message').notNull().default(''),
    changes: jsonb('changes').$type<Record<string, unknown>>(),
    declineReason: text('decline_reason'),
    decidedBy: text('decided_by'),
    decidedAt: ts('decided_at'),
    createdAt: createdAt(),
  },
  (t) => [index('order_requests_order_idx').on(t.orderId)],
);
