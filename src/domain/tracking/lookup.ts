// Finding an order from what the customer knows: the order number plus the email address
// or phone number given at checkout. The answer must not tell anyone which order numbers
// exist: an unknown number and a wrong contact fail with the same error after the same
// work (one indexed read, one constant-time comparison of fixed-length hashes). Failed
// attempts are counted per client address and per order number; once either limit is
// reached every attempt is refused until the window ends, successful or not, so a blocked
// client cannot keep guessing. Successful lookups are never counted or slowed; one that
// repeats an earlier success is answered from what this instance keeps (lookup-shortcut.ts).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { orders, rateLimits } from '../../db/schema.ts';
import { phoneToE164 } from '../checkout/checkout-input.ts';
import { canonicalOrderNumber } from '../orders/order-number.ts';
import { DomainError, validationFailed, type FieldErrors } from '../shared/errors.ts';
import { hit, limitsReached, rateLimited, waitText } from '../shared/rate-limit.ts';
import { announceBlocked, lookupShortcut } from './lookup-shortcut.ts';
import { signTrackingToken, verifyTrackingToken } from './tracking-token.ts';
import { cachedTrackedOrder } from './tracking-view.ts';

const MINUTE = 60_000;

export const LOOKUP_LIMITS = {
  /** Failed lookups from one client address, whatever the order number (stops sweeping numbers). */
  perIp: { limit: 10, windowMs: 15 * MINUTE },
  /** Failed lookups of one order number from anywhere (stops guessing one order's contact). */
  perOrder: { limit: 5, windowMs: 15 * MINUTE },
};

/** How long the link made after a successful lookup works: a day of refreshes and follow-ups, then type again. */
export const LOOKUP_LINK_TTL_MS = 24 * 60 * MINUTE;

/** One message for an unknown order and a wrong contact: nobody learns which numbers exist. */
export const LOOKUP_NOT_FOUND = 'We could not find an order with this number and email address or phone number. Check both and try again.';

export type Contact = { kind: 'email'; email: string } | { kind: 'phone'; phone: string };
export type OrderRef = { id: string; number: string };
export type LookupInput = { orderNumber: string; contact: string; clientIp: string };

const ORDER_GROUPS = /^([0-9A-Z]{4})([0-9A-Z]{4})$/;

/**
 * The stored form (CS-7K3M-9QX2) of an order number as people type it: any case, with or
 * without dashes or spaces, with or without the prefix (the configured one is assumed when
 * only the eight characters are given). Undefined when it cannot be an order number.
 */
export function normalizeOrderNumber(input: string, prefix: string): string | undefined {
  const compact = input.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
  const groups = ORDER_GROUPS.exec(compact);
  if (groups) return `${prefix.replace(/-$/, '')}-${groups[1]}-${groups[2]}`;
  // Numbers made under an earlier prefix keep working after the owner changes it.
  return canonicalOrderNumber(compact);
}

/** An email address (compared case-insensitively) or a phone number in any common US format (compared as E.164). */
export function parseContact(input: string): Contact | undefined {
  const value = input.trim();
  if (value.includes('@')) return z.regexes.email.test(value) ? { kind: 'email', email: value.toLowerCase() } : undefined;
  // A run of digits, spaces and phone punctuation only: "CS-…" pasted in the wrong box is not a phone.
  if (!/^[\d\s()+.-]{7,25}$/.test(value)) return undefined;
  const phone = phoneToE164(value);
  return phone ? { kind: 'phone', phone } : undefined;
}

/** Validates the two fields, naming each one that cannot be right (422). */
export function parseLookupInput(input: { orderNumber: string; contact: string }, prefix: string): { number: string; contact: Contact } {
  const errors: FieldErrors = {};
  const number = normalizeOrderNumber(input.orderNumber ?? '', prefix);
  const contact = parseContact(input.contact ?? '');
  if (!input.orderNumber?.trim()) errors.orderNumber = 'Enter your order number. You will find it in your order confirmation email.';
  else if (!number) errors.orderNumber = `This does not look like an order number. It looks like ${prefix}7K3M-9QX2.`;
  if (!input.contact?.trim()) errors.contact = 'Enter the email address or phone number you gave when ordering.';
  else if (!contact) errors.contact = 'Enter an email address (like name@example.com) or a US phone number (like 304-555-0142).';
  if (Object.keys(errors).length) throw validationFailed(errors);
  return { number: number!, contact: contact! };
}

// Compared as SHA-256 digests: equal length always, so timingSafeEqual never throws early.
const digest = (value: string) => createHash('sha256').update(value).digest();
const contactKey = (c: Contact) => (c.kind === 'email' ? `email:${c.email}` : `phone:${c.phone}`);

// Stands in for a missing order so the comparison runs all the same; matches no contact.
const NO_ORDER = { id: '', number: '', email: `\u0000${randomBytes(16).toString('hex')}`, phone: `\u0000${randomBytes(16).toString('hex')}` };

const tooMany = (seconds: number) =>
  rateLimited(seconds, `Too many unsuccessful attempts. Please wait ${waitText(seconds)} and try again, or contact us and we will help.`);

/**
 * One round trip: the lookup's counters and the order's contact (always one row, the order
 * columns empty when there is no such order). Prepared once per database.
 */
function buildLookupStatement(db: Db) {
  return db
    .select({
      id: orders.id,
      number: orders.number,
      email: orders.email,
      phone: orders.phone,
      limits: sql<{ key: string; count: number; resetAt: string }[]>`(select coalesce(json_agg(json_build_object('key', ${rateLimits.key}, 'count', ${rateLimits.count}, 'resetAt', ${rateLimits.resetAt})), '[]'::json)
        from ${rateLimits} where ${rateLimits.key} in (${sql.placeholder('ipKey')}, ${sql.placeholder('orderKey')}))`,
    })
    .from(sql`(select 1) as lookup`)
    .leftJoin(orders, eq(orders.number, sql.placeholder('number')))
    .prepare('tracking_lookup');
}
const lookupStatements = new WeakMap<Db, ReturnType<typeof buildLookupStatement>>();
function lookupStatement(db: Db) {
  let statement = lookupStatements.get(db);
  if (!statement) lookupStatements.set(db, (statement = buildLookupStatement(db)));
  return statement;
}

const contactMatches = (order: { email: string; phone: string }, contact: Contact) =>
  timingSafeEqual(digest(contact.kind === 'email' ? `email:${order.email.toLowerCase()}` : `phone:${order.phone}`), digest(contactKey(contact)));

/** The rate-limit counters' keys: a prefix, then the client address or the order number. */
const KEY_PREFIX = { ip: 'track:ip:', order: 'track:order:' };
const SHORTCUT_LIMITS = {
  ip: { prefix: KEY_PREFIX.ip, limit: LOOKUP_LIMITS.perIp.limit },
  order: { prefix: KEY_PREFIX.order, limit: LOOKUP_LIMITS.perOrder.limit },
};

/**
 * The order with this number whose email or phone matches. Throws `validation_failed` for
 * input that cannot be right, `not_found` (the same error whatever was wrong) or
 * `rate_limited` with `retryAfterSeconds` once too many lookups failed.
 */
export async function lookupOrder(ctx: AppContext, input: LookupInput): Promise<OrderRef> {
  const { number, contact } = parseLookupInput(input, ctx.settings().orderNumberPrefix);
  const now = ctx.clock.now();
  const ipKey = `${KEY_PREFIX.ip}${input.clientIp}`;
  const orderKey = `${KEY_PREFIX.order}${number}`;
  const { perIp, perOrder } = LOOKUP_LIMITS;

  // A lookup like one that succeeded before needs no query (lookup-shortcut.ts says why that is safe).
  const shortcut = await lookupShortcut(ctx, SHORTCUT_LIMITS);
  if (shortcut) {
    const wait = shortcut.blockedFor([ipKey, orderKey], now);
    if (wait) throw tooMany(wait);
    const id = shortcut.orderId(number);
    const known = id ? cachedTrackedOrder(ctx, id) : undefined;
    if (id && known && contactMatches(known, contact)) return { id, number };
  }

  const [found] = await lookupStatement(ctx.db).execute({ number, ipKey, orderKey });
  const counters = found!.limits.map((l) => ({ ...l, resetAt: new Date(l.resetAt) }));
  const limits = limitsReached(counters, [{ key: ipKey, limit: perIp.limit }, { key: orderKey, limit: perOrder.limit }], now);
  if (!limits.allowed) throw tooMany(limits.retryAfterSeconds);

  const row = found!.id ? { id: found!.id, number: found!.number!, email: found!.email!, phone: found!.phone! } : undefined;
  const matches = contactMatches(row ?? NO_ORDER, contact);
  if (row && matches) {
    shortcut?.rememberOrder(number, row.id);
    return { id: row.id, number: row.number };
  }

  for (const [key, { limit, windowMs }] of [[ipKey, perIp], [orderKey, perOrder]] as const) {
    const counted = await hit(ctx.db, key, limit, windowMs, now);
    if (counted.count >= limit) await announceBlocked(ctx, key, counted.resetAt);
  }
  throw new DomainError('not_found', LOOKUP_NOT_FOUND);
}

/** A link token for the order just found, shorter-lived than the links in emails (it lands in the browser's history). */
export const lookupLinkToken = (ctx: Pick<AppContext, 'secret' | 'clock'>, number: string) =>
  signTrackingToken(ctx.secret, number, new Date(ctx.clock.now().getTime() + LOOKUP_LINK_TTL_MS));

/** The order a signed tracking link was made for; undefined when the link is forged, damaged or expired. */
export async function orderFromTrackingToken(ctx: AppContext, token: string): Promise<OrderRef | undefined> {
  const number = verifyTrackingToken(ctx.secret, token, ctx.clock.now());
  if (!number) return undefined;
  const [row] = await ctx.db.select({ id: orders.id, number: orders.number }).from(orders).where(eq(orders.number, number));
  return row;
}
