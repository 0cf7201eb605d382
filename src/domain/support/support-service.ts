// The support inbox: one queue for every way a customer reaches us (contact messages,
// change and cancellation requests, delivery problems, after-sales applications). Reading
// it (the queue by status, assignee and search, sorted by due time; one case with its whole
// history) and what staff do with a case: reply by email, add an internal note, assign,
// change the status. Each action is one transaction with the case row locked, and every
// one of them leaves a line in the case's history.
//
// Due time: the first reply is due `firstReplyHours` service hours after the customer wrote
// (set by openSupportCase). A case put back to "open" owes the customer an answer again, so
// it gets a new due time counted the same way. Only open cases can be overdue.
import { and, asc, count, desc, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { Conn, Tx } from '../../db/client.ts';
import { caseMessages, orderRequests, orders, returnCases, staff, supportCases } from '../../db/schema.ts';
import { enqueueEmail } from '../notifications/outbox.ts';
import type { SupportReplyPayload } from '../notifications/email-payloads.ts';
import { canonicalOrderNumber } from '../orders/order-number.ts';
import { DomainError, notFound, validationFailed } from '../shared/errors.ts';
import type { StaffIdentity } from '../staff/staff-service.ts';
import { normalizeOrderNumber } from '../tracking/lookup.ts';
import { addServiceHours, serviceMillisBetween } from './service-hours.ts';
import type { SupportCaseKind } from './support-cases.ts';

/** Where a case stands, from the customer's side. */
export const CASE_STATUSES = {
  /** We owe the customer an answer (counted against the due time). */
  open: 'Open',
  /** We answered and wait for the customer; nothing is due from us. */
  waiting_on_customer: 'Waiting on customer',
  /** Nothing more to do. */
  resolved: 'Resolved',
} as const;
export type CaseStatus = keyof typeof CASE_STATUSES;
export const CASE_STATUS_NAMES = Object.keys(CASE_STATUSES) as CaseStatus[];
export const isCaseStatus = (s: unknown): s is CaseStatus => typeof s === 'string' && Object.hasOwn(CASE_STATUSES, s);

/** How each kind of case is named in the inbox. */
export const CASE_KINDS: Record<SupportCaseKind, string> = {
  contact: 'Contact message',
  order_request: 'Change or cancel an order',
  delivery_problem: 'Delivery problem',
  after_sales: 'After-sales',
};

export type SupportCase = typeof supportCases.$inferSelect;
export type CaseMessage = typeof caseMessages.$inferSelect;
export type CaseMessageKind = 'customer' | 'reply' | 'note' | 'system';

export const REPLY_MAX = 5000;
export const NOTE_MAX = 2000;

// ------------------------------------------------------------------ reading

export type AssigneeFilter = 'mine' | 'unassigned';
export type InboxQuery = { status?: CaseStatus; assignee?: AssigneeFilter; q?: string; page: number; limit: number };

export type InboxItem = {
  number: string;
  kind: string;
  status: CaseStatus;
  topic: string;
  subject: string;
  name: string;
  email: string;
  orderNumber: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
  dueAt: Date;
  /** Open and past its due time. */
  overdue: boolean;
  /** Service time left until the due time (0 once overdue), for "due in 2 h". */
  serviceMsLeft: number;
  createdAt: Date;
  updatedAt: Date;
};

export type Inbox = { items: InboxItem[]; total: number; counts: Record<CaseStatus, number> };

/** `like` pattern for a literal piece of text. */
const contains = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Search by case number, order number (as people type them) or email (any part, any case). */
function searchCondition(q: string, orderPrefix: string): SQL | undefined {
  const term = q.trim();
  if (!term) return undefined;
  const number = canonicalOrderNumber(term);
  const orderNumber = normalizeOrderNumber(term, orderPrefix);
  const conditions: SQL[] = [sql`lower(${supportCases.email}) like ${contains(term.toLowerCase())}`];
  if (number) conditions.push(eq(supportCases.number, number));
  if (orderNumber) conditions.push(eq(orders.number, orderNumber), sql`${supportCases.details}->>'orderNumber' = ${orderNumber}`);
  return or(...conditions);
}

function assigneeCondition(viewer: { id: string }, assignee: AssigneeFilter | undefined): SQL | undefined {
  if (assignee === 'mine') return eq(supportCases.assigneeId, viewer.id);
  if (assignee === 'unassigned') return isNull(supportCases.assigneeId);
  return undefined;
}

const isOverdue = (c: { status: string; dueAt: Date }, now: Date) => c.status === 'open' && c.dueAt.getTime() <= now.getTime();

/** The queue: cases in `status` (all when unset), soonest due first; counts per status for the tabs. */
export async function listCases(ctx: AppContext, viewer: { id: string }, query: InboxQuery): Promise<Inbox> {
  const now = ctx.clock.now();
  const hours = ctx.settings().serviceHours;
  const filters = [assigneeCondition(viewer, query.assignee), searchCondition(query.q ?? '', ctx.settings().orderNumberPrefix)].filter((c): c is SQL => !!c);
  const where = and(...filters, ...(query.status ? [eq(supportCases.status, query.status)] : []));

  const page = await ctx.db
    .select({
      number: supportCases.number,
      kind: supportCases.kind,
      status: supportCases.status,
      topic: supportCases.topic,
      subject: supportCases.subject,
      name: supportCases.name,
      email: supportCases.email,
      orderNumber: orders.number,
      assigneeId: supportCases.assigneeId,
      assigneeName: staff.name,
      dueAt: supportCases.dueAt,
      createdAt: supportCases.createdAt,
      updatedAt: supportCases.updatedAt,
    })
    .from(supportCases)
    .leftJoin(orders, eq(orders.id, supportCases.orderId))
    .leftJoin(staff, eq(staff.id, supportCases.assigneeId))
    .where(where)
    // Resolved cases read best newest first; everything else by what is due soonest.
    .orderBy(...(query.status === 'resolved' ? [desc(supportCases.updatedAt)] : [asc(supportCases.dueAt)]), asc(supportCases.number))
    .limit(query.limit)
    .offset((query.page - 1) * query.limit);
  const perStatus = await ctx.db
    .select({ status: supportCases.status, n: count() })
    .from(supportCases)
    .leftJoin(orders, eq(orders.id, supportCases.orderId))
    .where(and(...filters))
    .groupBy(supportCases.status);

  const counts = Object.fromEntries(CASE_STATUS_NAMES.map((s) => [s, 0])) as Record<CaseStatus, number>;
  for (const row of perStatus) if (isCaseStatus(row.status)) counts[row.status] = Number(row.n);
  return {
    items: page.map((c) => ({
      ...c,
      status: c.status as CaseStatus,
      overdue: isOverdue(c, now),
      serviceMsLeft: serviceMillisBetween(hours, now, c.dueAt),
    })),
    total: query.status ? counts[query.status] : Object.values(counts).reduce((a, b) => a + b, 0),
    counts,
  };
}

export type HistoryEntry = CaseMessage & { staffName: string | null };
export type CaseRequest = typeof orderRequests.$inferSelect;

export type CaseDetail = {
  case: SupportCase;
  order: { number: string; status: string; email: string } | null;
  assigneeName: string | null;
  overdue: boolean;
  serviceMsLeft: number;
  /** The customer's messages, our replies, internal notes and system lines, oldest first. */
  history: HistoryEntry[];
  /** The change or cancellation request behind an order_request case. */
  request: CaseRequest | null;
  /** The after-sales case behind an after_sales case. */
  returnCase: { number: string; type: string; status: string } | null;
  /** Active staff, for the assignee choice. */
  staff: { id: string; name: string; role: string }[];
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One case with everything the case page shows; `number` as people type it. */
export async function getCase(ctx: AppContext, number: string): Promise<CaseDetail> {
  const canonical = canonicalOrderNumber(number);
  const [row] = canonical ? await ctx.db.select().from(supportCases).where(eq(supportCases.number, canonical)) : [];
  if (!row) throw notFound('Case');
  const [order] = row.orderId
    ? await ctx.db.select({ number: orders.number, status: orders.status, email: orders.email }).from(orders).where(eq(orders.id, row.orderId))
    : [];
  const history = await ctx.db
    .select({ message: caseMessages, staffName: staff.name })
    .from(caseMessages)
    .leftJoin(staff, eq(staff.id, caseMessages.staffId))
    .where(eq(caseMessages.caseId, row.id))
    .orderBy(asc(caseMessages.createdAt), asc(caseMessages.id));
  const [request] = await ctx.db.select().from(orderRequests).where(eq(orderRequests.caseId, row.id)).orderBy(desc(orderRequests.createdAt)).limit(1);
  const [returnCase] = await ctx.db
    .select({ number: returnCases.number, type: returnCases.type, status: returnCases.status })
    .from(returnCases)
    .where(eq(returnCases.supportCaseId, row.id))
    .limit(1);
  const team = await ctx.db.select({ id: staff.id, name: staff.name, role: staff.role }).from(staff).where(eq(staff.active, true)).orderBy(asc(staff.name));
  const now = ctx.clock.now();
  return {
    case: row,
    order: order ?? null,
    assigneeName: team.find((s) => s.id === row.assigneeId)?.name ?? null,
    overdue: isOverdue(row, now),
    serviceMsLeft: serviceMillisBetween(ctx.settings().serviceHours, now, row.dueAt),
    history: history.map((h) => ({ ...h.message, staffName: h.staffName })),
    request: request ?? null,
    returnCase: returnCase ?? null,
    staff: team,
  };
}

// ------------------------------------------------------------------ writing

/** A line in a case's history, in the caller's transaction (other domains record their steps here). */
export async function recordCaseMessage(tx: Tx, m: { caseId: string; kind: CaseMessageKind; body: string; staffId?: string | null; at: Date }): Promise<void> {
  await tx.insert(caseMessages).values({ caseId: m.caseId, kind: m.kind, body: m.body, staffId: m.staffId ?? null, createdAt: m.at });
}

/**
 * Moves a (locked) case to `status`. A case that becomes open again, or stays open after we
 * answered, owes the customer a new answer: it gets a new due time.
 */
async function moveCase(ctx: AppContext, tx: Tx, c: SupportCase, status: CaseStatus, opts: { answered?: boolean; firstRepliedAt?: Date } = {}): Promise<void> {
  const now = ctx.clock.now();
  const hours = ctx.settings().serviceHours;
  const owesAnswer = status === 'open' && (c.status !== 'open' || opts.answered);
  await tx
    .update(supportCases)
    .set({
      status,
      updatedAt: now,
      ...(opts.firstRepliedAt ? { firstRepliedAt: opts.firstRepliedAt } : {}),
      ...(owesAnswer ? { dueAt: addServiceHours(hours, now, hours.firstReplyHours) } : {}),
    })
    .where(eq(supportCases.id, c.id));
}

/** Resolves a case a decision closed (e.g. an approved request), inside the caller's transaction. */
export async function resolveCase(ctx: AppContext, tx: Tx, caseId: string): Promise<void> {
  const [c] = await tx.select().from(supportCases).where(eq(supportCases.id, caseId)).for('update');
  if (c && c.status !== 'resolved') await moveCase(ctx, tx, c, 'resolved');
}

async function lockCase(tx: Tx, number: string): Promise<SupportCase> {
  const canonical = canonicalOrderNumber(number);
  const [c] = canonical ? await tx.select().from(supportCases).where(eq(supportCases.number, canonical)).for('update') : [];
  if (!c) throw notFound('Case');
  return c;
}

function requiredText(value: string | undefined, field: string, max: number, empty: string): string {
  const text = (value ?? '').trim();
  if (!text) throw validationFailed({ [field]: empty });
  if (text.length > max) throw validationFailed({ [field]: `Keep it under ${max.toLocaleString('en-US')} characters.` });
  return text;
}

export type ReplyInput = { body: string; /** What the case becomes; waiting on the customer unless chosen otherwise. */ status?: string };

/**
 * Emails the customer a reply (through the outbox, in the same transaction) and keeps it in
 * the case's history. The first reply is recorded as such; the case then waits on the
 * customer unless staff chose another status.
 */
export async function replyToCase(ctx: AppContext, number: string, by: StaffIdentity, input: ReplyInput): Promise<SupportCase> {
  const body = requiredText(input.body, 'body', REPLY_MAX, 'Write the reply first.');
  const status = input.status === undefined || input.status === '' ? 'waiting_on_customer' : input.status;
  if (!isCaseStatus(status)) throw validationFailed({ status: 'Choose open, waiting on customer or resolved.' });
  return ctx.db.transaction(async (tx) => {
    const c = await lockCase(tx, number);
    const now = ctx.clock.now();
    const [order] = c.orderId ? await tx.select({ number: orders.number }).from(orders).where(eq(orders.id, c.orderId)) : [];
    await recordCaseMessage(tx, { caseId: c.id, kind: 'reply', body, staffId: by.id, at: now });
    await enqueueEmail(tx, {
      template: 'support_reply',
      to: c.email,
      caseId: c.id,
      ...(c.orderId ? { orderId: c.orderId } : {}),
      payload: { caseNumber: c.number, name: c.name, body, orderNumber: order?.number ?? null } satisfies SupportReplyPayload,
    });
    await moveCase(ctx, tx, c, status, { answered: true, firstRepliedAt: c.firstRepliedAt ?? now });
    return (await tx.select().from(supportCases).where(eq(supportCases.id, c.id)))[0]!;
  });
}

/** An internal note: staff only, never emailed. */
export async function addCaseNote(ctx: AppContext, number: string, by: StaffIdentity, text: string): Promise<void> {
  const body = requiredText(text, 'note', NOTE_MAX, 'Write the note first.');
  await ctx.db.transaction(async (tx) => {
    const c = await lockCase(tx, number);
    const now = ctx.clock.now();
    await recordCaseMessage(tx, { caseId: c.id, kind: 'note', body, staffId: by.id, at: now });
    await tx.update(supportCases).set({ updatedAt: now }).where(eq(supportCases.id, c.id));
  });
}

/** Gives the case to an active staff member (or to nobody with null). */
export async function assignCase(ctx: AppContext, number: string, by: StaffIdentity, assigneeId: string | null): Promise<SupportCase> {
  return ctx.db.transaction(async (tx) => {
    const c = await lockCase(tx, number);
    const [member] = assigneeId && UUID.test(assigneeId) ? await tx.select().from(staff).where(and(eq(staff.id, assigneeId), eq(staff.active, true))) : [];
    if (assigneeId && !member) throw validationFailed({ assignee: 'Choose an active staff member.' });
    if ((c.assigneeId ?? null) === (assigneeId ?? null)) return c;
    const now = ctx.clock.now();
    const who = member ? (member.id === by.id ? `${member.name} took the case` : `Assigned to ${member.name} by ${by.name}`) : `Unassigned by ${by.name}`;
    await recordCaseMessage(tx, { caseId: c.id, kind: 'system', body: who, staffId: by.id, at: now });
    const [updated] = await tx.update(supportCases).set({ assigneeId: member?.id ?? null, updatedAt: now }).where(eq(supportCases.id, c.id)).returning();
    return updated!;
  });
}

/** Moves the case to another status, with a line in its history. */
export async function setCaseStatus(ctx: AppContext, number: string, by: StaffIdentity, status: string): Promise<SupportCase> {
  if (!isCaseStatus(status)) throw validationFailed({ status: 'Choose open, waiting on customer or resolved.' });
  return ctx.db.transaction(async (tx) => {
    const c = await lockCase(tx, number);
    if (c.status === status) throw new DomainError('conflict', `The case is already ${CASE_STATUSES[status].toLowerCase()}.`);
    await recordCaseMessage(tx, { caseId: c.id, kind: 'system', body: `Status: ${CASE_STATUSES[status]} (by ${by.name})`, staffId: by.id, at: ctx.clock.now() });
    await moveCase(ctx, tx, c, status);
    return (await tx.select().from(supportCases).where(eq(supportCases.id, c.id)))[0]!;
  });
}

/** A case by its number, for pages that only need the row (e.g. the contact confirmation). */
export async function findCase(conn: Conn, number: string): Promise<SupportCase | undefined> {
  const canonical = canonicalOrderNumber(number);
  if (!canonical) return undefined;
  const [row] = await conn.select().from(supportCases).where(eq(supportCases.number, canonical));
  return row;
}
