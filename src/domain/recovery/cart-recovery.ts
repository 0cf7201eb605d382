// Abandoned-checkout recovery. The email a shopper types at checkout is kept with their cart;
// if no order follows within the configured delay, one reminder leaves through the outbox with
// a signed link that restores the cart and says what changed in price or stock since. Nothing
// is sent once an order with that email exists, to an address that unsubscribed, or for an
// empty cart; contacts are deleted after 30 days.
import { and, asc, eq, gt, isNotNull, isNull, lt, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import type { Conn } from '../../db/client.ts';
import { carts, checkoutContacts, emailSuppressions, orders, type CapturedLine } from '../../db/schema.ts';
import { loadCartLines, type CartLine } from '../cart/cart-service.ts';
import { enqueueEmail } from '../notifications/outbox.ts';
import { formatMoney } from '../shared/money.ts';
import { signToken, verifyToken } from '../shared/signed-token.ts';

const DAY = 24 * 3_600_000;
/** Contacts (and what their carts held) are kept this long, then deleted. */
export const CONTACT_RETENTION_MS = 30 * DAY;
const UNSUBSCRIBE_TTL_MS = 365 * DAY;
const BATCH = 20;

const isEmail = (s: string) => z.email().safeParse(s).success;

/**
 * Keeps the email typed at checkout with the cart (the latest one typed wins) and schedules
 * the reminder from now. Does nothing for an empty or ordered cart, or with recovery off.
 */
export async function captureCheckoutEmail(ctx: AppContext, cartId: string, rawEmail: string): Promise<boolean> {
  const settings = ctx.settings().cartRecovery;
  const email = (rawEmail ?? '').trim().toLowerCase();
  if (!settings.enabled || email.length > 254 || !isEmail(email)) return false;
  const [cart] = await ctx.db.select({ orderId: carts.orderId }).from(carts).where(eq(carts.id, cartId));
  if (!cart || cart.orderId) return false;
  const lines = captured(await loadCartLines(ctx.db, cartId));
  if (lines.length === 0) return false;
  const remindAt = new Date(ctx.clock.now().getTime() + settings.delayMinutes * 60_000);
  await ctx.db
    .insert(checkoutContacts)
    .values({ cartId, email, lines, remindAt, capturedAt: ctx.clock.now() })
    .onConflictDoUpdate({ target: checkoutContacts.cartId, set: { email, lines, remindAt }, setWhere: isNull(checkoutContacts.handledAt) });
  return true;
}

const captured = (lines: CartLine[]): CapturedLine[] => lines.map((l) => ({ sku: l.sku, name: l.productName, unitPrice: l.unitPrice, quantity: l.quantity }));

/** What changed since checkout, in words for the shopper: prices up or down, too little or no stock, gone. */
export function describeChanges(before: CapturedLine[], now: CartLine[]): string[] {
  const changes: string[] = [];
  for (const was of before) {
    const line = now.find((l) => l.sku === was.sku);
    if (!line) changes.push(`${was.name} is no longer in your cart.`);
    else if (line.available === 0) changes.push(`${was.name} is sold out for now.`);
    else if (line.available < line.quantity) changes.push(`Only ${line.available} of ${was.name} ${line.available === 1 ? 'is' : 'are'} left.`);
    if (line && line.unitPrice !== was.unitPrice) {
      changes.push(`${was.name} is now ${formatMoney(line.unitPrice, line.currency)} (it was ${formatMoney(was.unitPrice, line.currency)}).`);
    }
  }
  return changes;
}

export const restoreToken = (ctx: Pick<AppContext, 'secret' | 'clock'>, cartId: string) =>
  signToken(ctx.secret, 'cart-restore', cartId, new Date(ctx.clock.now().getTime() + CONTACT_RETENTION_MS));
export const unsubscribeToken = (ctx: Pick<AppContext, 'secret' | 'clock'>, email: string) =>
  signToken(ctx.secret, 'unsubscribe', email, new Date(ctx.clock.now().getTime() + UNSUBSCRIBE_TTL_MS));

/** Why a due contact gets no reminder, or undefined when it should get one. */
async function reasonToSkip(tx: Conn, c: typeof checkoutContacts.$inferSelect, lines: CartLine[]): Promise<string | undefined> {
  const [cart] = await tx.select({ orderId: carts.orderId }).from(carts).where(eq(carts.id, c.cartId));
  if (cart?.orderId) return 'ordered';
  const [ordered] = await tx
    .select({ id: orders.id })
    .from(orders)
    .where(and(sql`lower(${orders.email}) = ${c.email}`, gt(orders.createdAt, c.capturedAt)))
    .limit(1);
  if (ordered) return 'ordered';
  const [suppressed] = await tx.select({ email: emailSuppressions.email }).from(emailSuppressions).where(eq(emailSuppressions.email, c.email));
  if (suppressed) return 'unsubscribed';
  if (lines.length === 0) return 'empty';
  return undefined;
}

/** Sends the reminders that are due (safe on several workers: rows are claimed with SKIP LOCKED). */
export async function sendDueReminders(ctx: AppContext): Promise<{ reminded: number; skipped: number }> {
  const report = { reminded: 0, skipped: 0 };
  const now = ctx.clock.now();
  for (;;) {
    const handled = await ctx.db.transaction(async (tx) => {
      const due = await tx
        .select()
        .from(checkoutContacts)
        .where(and(isNull(checkoutContacts.handledAt), lte(checkoutContacts.remindAt, now)))
        .orderBy(asc(checkoutContacts.remindAt))
        .limit(BATCH)
        .for('update', { skipLocked: true });
      for (const c of due) {
        const lines = await loadCartLines(tx, c.cartId);
        const skip = await reasonToSkip(tx, c, lines);
        if (!skip) {
          await enqueueEmail(tx, {
            template: 'cart_reminder',
            to: c.email,
            payload: {
              items: lines.map((l) => ({ name: l.productName, quantity: l.quantity, unitPrice: l.unitPrice, currency: l.currency })),
              changes: describeChanges(c.lines, lines),
              restoreUrl: `${ctx.config.publicUrl}/cart/restore?t=${restoreToken(ctx, c.cartId)}`,
              unsubscribeUrl: `${ctx.config.publicUrl}/unsubscribe?t=${unsubscribeToken(ctx, c.email)}`,
            },
          });
        }
        await tx.update(checkoutContacts).set({ handledAt: now, outcome: skip ?? 'reminded' }).where(eq(checkoutContacts.cartId, c.cartId));
        report[skip ? 'skipped' : 'reminded']++;
      }
      return due.length;
    });
    if (handled < BATCH) break;
  }
  await ctx.db.delete(checkoutContacts).where(lt(checkoutContacts.capturedAt, new Date(now.getTime() - CONTACT_RETENTION_MS)));
  return report;
}

export type RestoredCart = { cartId: string; ordered: boolean; changes: string[] };

/** The cart a reminder's link is for, and what changed since; undefined for a bad or expired link. */
export async function restoreCart(ctx: AppContext, token: string): Promise<RestoredCart | undefined> {
  const cartId = verifyToken(ctx.secret, 'cart-restore', token, ctx.clock.now());
  if (!cartId) return undefined;
  const [cart] = await ctx.db.select({ orderId: carts.orderId }).from(carts).where(eq(carts.id, cartId));
  if (!cart) return undefined;
  const [contact] = await ctx.db.select({ lines: checkoutContacts.lines }).from(checkoutContacts).where(eq(checkoutContacts.cartId, cartId));
  const changes = contact && !cart.orderId ? describeChanges(contact.lines, await loadCartLines(ctx.db, cartId)) : [];
  return { cartId, ordered: cart.orderId !== null, changes };
}

/** The address an unsubscribe link is for; undefined when the link is bad or expired. */
export const unsubscribeEmail = (ctx: AppContext, token: string) => verifyToken(ctx.secret, 'unsubscribe', token, ctx.clock.now());

/** No more reminders to this address; pending ones are dropped. Idempotent. */
export async function unsubscribe(ctx: AppContext, email: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await tx.insert(emailSuppressions).values({ email }).onConflictDoNothing();
    await tx.update(checkoutContacts).set({ handledAt: ctx.clock.now(), outcome: 'unsubscribed' }).where(and(eq(checkoutContacts.email, email), isNull(checkoutContacts.handledAt)));
  });
}

/** Orders placed from carts after their reminder, in the contacts' 30 days: the dashboard's recovered revenue. */
export async function recoveredRevenue(ctx: AppContext): Promise<{ orders: number; total: number; reminded: number }> {
  const [row] = await ctx.db
    .select({
      reminded: sql<number>`count(*) filter (where ${checkoutContacts.outcome} = 'reminded')::int`,
      orders: sql<number>`count(${orders.id})::int`,
      total: sql<number>`coalesce(sum(${orders.total}), 0)::int`,
    })
    .from(checkoutContacts)
    .leftJoin(carts, eq(carts.id, checkoutContacts.cartId))
    .leftJoin(orders, and(eq(orders.id, carts.orderId), eq(checkoutContacts.outcome, 'reminded'), isNotNull(checkoutContacts.handledAt), gt(orders.createdAt, checkoutContacts.handledAt)));
  return row ?? { orders: 0, total: 0, reminded: 0 };
}
