// Signing in to "My orders" without a password: a one-time link by email or a six-digit code
// by text message proves the shopper holds an address or number; the session then lists the
// orders placed with it. The request answers the same, after the same work, whether or not
// any order uses the contact (the message itself says so), and is rate limited per client
// and per contact, so the page tells nobody who has ordered.
import { randomInt } from 'node:crypto';
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { Conn } from '../../db/client.ts';
import { customerSessions, customerSignIns, orders, type CustomerContact } from '../../db/schema.ts';
import { enqueueEmail, enqueueSms } from '../notifications/outbox.ts';
import { DomainError, validationFailed } from '../shared/errors.ts';
import { randomToken, sha256 } from '../shared/ids.ts';
import { hit, rateLimited, waitText } from '../shared/rate-limit.ts';
import { parseContact } from '../tracking/lookup.ts';

const MINUTE = 60_000;
export const LINK_TTL_MS = 20 * MINUTE;
export const CODE_TTL_MS = 10 * MINUTE;
/** Short: the session shows addresses and phone numbers on a device that may be shared. */
export const SESSION_TTL_MS = 2 * 60 * MINUTE;
export const MAX_CODE_ATTEMPTS = 5;

export const SIGN_IN_LIMITS = {
  /** Requests from one client address, whatever the contact (stops mass probing and mail bombing). */
  perIp: { limit: 10, windowMs: 15 * MINUTE },
  /** Requests for one email or phone from anywhere (stops flooding one person's inbox). */
  perContact: { limit: 3, windowMs: 60 * MINUTE },
};

export type SignInRequest = { contact: string; clientIp: string };
export type SignInAsked = { kind: CustomerContact['kind']; signInId: string };
export type SessionOpened = { token: string; expiresAt: Date; contacts: CustomerContact[] };

/** Orders placed with this contact exist (one indexed read; the answer only shapes the message). */
export async function hasOrders(conn: Conn, c: CustomerContact): Promise<boolean> {
  const match = c.kind === 'email' ? sql`lower(${orders.email}) = ${c.value}` : eq(orders.phone, c.value);
  const rows = await conn.select({ one: sql`1` }).from(orders).where(match).limit(1);
  return rows.length > 0;
}

function parse(input: string): CustomerContact {
  const c = parseContact(input ?? '');
  if (!c) {
    throw validationFailed({
      contact: input?.trim()
        ? 'Enter an email address (like name@example.com) or a US phone number (like 304-555-0142).'
        : 'Enter the email address or phone number you gave when ordering.',
    });
  }
  return c.kind === 'email' ? { kind: 'email', value: c.email } : { kind: 'phone', value: c.phone };
}

const smsBody = (store: string, code: string | undefined) =>
  code
    ? `${store}: your sign-in code is ${code}. It works once, for ${CODE_TTL_MS / MINUTE} minutes. We never ask for it by phone.`
    : `${store}: someone asked for a sign-in code for this number, but no order was placed with it. If you did not ask, ignore this message.`;

/** Sends a sign-in link (email) or code (phone). Throws `validation_failed` or `rate_limited`. */
export async function requestSignIn(ctx: AppContext, input: SignInRequest): Promise<SignInAsked> {
  const contact = parse(input.contact);
  const now = ctx.clock.now();
  const { perIp, perContact } = SIGN_IN_LIMITS;
  const limits = [
    await hit(ctx.db, `signin:ip:${input.clientIp}`, perIp.limit, perIp.windowMs, now),
    await hit(ctx.db, `signin:${contact.kind}:${contact.value}`, perContact.limit, perContact.windowMs, now),
  ];
  const refused = limits.filter((l) => !l.allowed);
  if (refused.length) {
    const wait = Math.max(...refused.map((l) => l.retryAfterSeconds));
    throw rateLimited(wait, `We have sent several sign-in messages already. Please wait ${waitText(wait)} before asking again.`);
  }
  const store = ctx.settings().storeName;
  await pruneExpired(ctx.db, now);
  return ctx.db.transaction(async (tx) => {
    const known = await hasOrders(tx, contact);
    const ttl = contact.kind === 'email' ? LINK_TTL_MS : CODE_TTL_MS;
    const [row] = await tx
      .insert(customerSignIns)
      // A placeholder until the id is known: a code's hash covers the row id.
      .values({ contactKind: contact.kind, contact: contact.value, secretHash: `pending:${randomToken(16)}`, expiresAt: new Date(now.getTime() + ttl) })
      .returning({ id: customerSignIns.id });
    const id = row!.id;
    if (contact.kind === 'email') {
      const token = randomToken(32);
      await tx.update(customerSignIns).set({ secretHash: sha256(token) }).where(eq(customerSignIns.id, id));
      const signInUrl = known ? `${ctx.config.publicUrl}/account/sign-in/${token}` : undefined;
      await enqueueEmail(tx, { template: 'customer_sign_in', to: contact.value, payload: { signInUrl, expiresInMinutes: LINK_TTL_MS / MINUTE } });
    } else {
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      await tx.update(customerSignIns).set({ secretHash: codeHash(id, code) }).where(eq(customerSignIns.id, id));
      await enqueueSms(tx, { to: contact.value, template: 'customer_sign_in_code', body: smsBody(store, known ? code : undefined) });
    }
    return { kind: contact.kind, signInId: id };
  });
}

const codeHash = (signInId: string, code: string) => sha256(`${signInId}:${code}`);

const UNUSABLE = {
  used: 'This sign-in link has already been used. Ask for a new one below.',
  expired: 'This sign-in link has expired. Ask for a new one below.',
  unknown: 'This sign-in link is not valid. Ask for a new one below.',
};

/**
 * Spends the emailed link and opens a session on the browser that opened it (any device:
 * the link is the proof). Throws `forbidden` with the reason when it cannot be used.
 */
export async function signInWithLink(ctx: AppContext, token: string, current?: string): Promise<SessionOpened> {
  const now = ctx.clock.now();
  const hash = sha256(token);
  return ctx.db.transaction(async (tx) => {
    const [spent] = await tx
      .update(customerSignIns)
      .set({ usedAt: now })
      .where(and(eq(customerSignIns.secretHash, hash), eq(customerSignIns.contactKind, 'email'), isNull(customerSignIns.usedAt), gt(customerSignIns.expiresAt, now)))
      .returning();
    if (!spent) {
      const [row] = await tx.select().from(customerSignIns).where(eq(customerSignIns.secretHash, hash));
      throw new DomainError('forbidden', row?.usedAt ? UNUSABLE.used : row ? UNUSABLE.expired : UNUSABLE.unknown);
    }
    return openSession(tx, { kind: 'email', value: spent.contact }, now, current);
  });
}

/** Checks a texted code; a few wrong ones end the sign-in. Throws `forbidden` or `validation_failed`. */
export async function signInWithCode(ctx: AppContext, signInId: string, code: string, current?: string): Promise<SessionOpened> {
  const now = ctx.clock.now();
  const typed = (code ?? '').replace(/\s+/g, '');
  if (!/^\d{6}$/.test(typed)) throw validationFailed({ code: 'Enter the six-digit code from the text message.' });
  if (!/^[0-9a-f-]{36}$/.test(signInId ?? '')) throw new DomainError('forbidden', 'This sign-in has ended. Ask for a new code below.');
  // The row lock makes concurrent guesses count one by one.
  const outcome = await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(customerSignIns).where(and(eq(customerSignIns.id, signInId), eq(customerSignIns.contactKind, 'phone'))).for('update');
    if (!row || row.usedAt || row.expiresAt <= now || row.failedAttempts >= MAX_CODE_ATTEMPTS) {
      return { error: new DomainError('forbidden', 'This code has expired or has been used. Ask for a new one below.') };
    }
    if (codeHash(row.id, typed) !== row.secretHash) {
      const left = MAX_CODE_ATTEMPTS - row.failedAttempts - 1;
      await tx.update(customerSignIns).set({ failedAttempts: row.failedAttempts + 1 }).where(eq(customerSignIns.id, row.id));
      return {
        error: left > 0 ? validationFailed({ code: `That code is not right. ${left} ${left === 1 ? 'try' : 'tries'} left.` }) : new DomainError('forbidden', 'That code is not right, and it was the last try. Ask for a new code below.'),
      };
    }
    await tx.update(customerSignIns).set({ usedAt: now }).where(eq(customerSignIns.id, row.id));
    return { session: await openSession(tx, { kind: 'phone', value: row.contact }, now, current) };
  });
  if (outcome.error) throw outcome.error;
  return outcome.session!;
}

/** Adds the proven contact to the browser's live session, or starts one. */
async function openSession(tx: Conn, contact: CustomerContact, now: Date, current: string | undefined): Promise<SessionOpened> {
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  const live = current ? await liveSession(tx, current, now) : undefined;
  if (live) {
    const contacts = live.contacts.some((c) => c.kind === contact.kind && c.value === contact.value) ? live.contacts : [...live.contacts, contact];
    await tx.update(customerSessions).set({ contacts, expiresAt }).where(eq(customerSessions.tokenHash, sha256(current!)));
    return { token: current!, expiresAt, contacts };
  }
  const token = randomToken(32);
  await tx.insert(customerSessions).values({ tokenHash: sha256(token), contacts: [contact], expiresAt });
  return { token, expiresAt, contacts: [contact] };
}

async function liveSession(conn: Conn, token: string, now: Date) {
  const [row] = await conn
    .select({ contacts: customerSessions.contacts })
    .from(customerSessions)
    .where(and(eq(customerSessions.tokenHash, sha256(token)), gt(customerSessions.expiresAt, now)));
  return row;
}

/** The contacts a session cookie proves; undefined when it is unknown or has expired. */
export async function sessionContacts(ctx: AppContext, token: string | undefined): Promise<CustomerContact[] | undefined> {
  if (!token) return undefined;
  return (await liveSession(ctx.db, token, ctx.clock.now()))?.contacts;
}

export async function signOut(ctx: AppContext, token: string): Promise<void> {
  await ctx.db.delete(customerSessions).where(eq(customerSessions.tokenHash, sha256(token)));
}

/** Housekeeping on every request for a link: expired sign-ins and sessions (both indexed by expiry). */
async function pruneExpired(conn: Conn, now: Date): Promise<void> {
  await conn.delete(customerSignIns).where(lt(customerSignIns.expiresAt, now));
  await conn.delete(customerSessions).where(lt(customerSessions.expiresAt, now));
}
