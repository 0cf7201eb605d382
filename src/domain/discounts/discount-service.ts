// Which discount a cart gets, and the shopper's code on the cart. One discount per order:
// the cart's code and the automatic promotions whose conditions hold are priced side by
// side and the one that leaves the lowest total wins (codes and promotions never stack, so
// a total is easy to explain and a refund easy to reckon). Caps are enforced for real in
// the order transaction (redeemDiscount); the checks here tell the shopper early.
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Conn, Tx } from '../../db/client.ts';
import { prepared } from '../../db/prepared.ts';
import { discountRedemptions, discounts } from '../../db/schema.ts';
import { computeTotals, type PricedLine, type Totals, type TotalsChoice } from '../checkout/totals.ts';
import type { StoreSettings } from '../settings/store-settings.ts';
import { validationFailed } from '../shared/errors.ts';
import { describeTerms, whyNot, type DiscountTerms } from './discount-rules.ts';

export type DiscountRow = typeof discounts.$inferSelect;

/** The discount an order gets, as the cart, the checkout snapshot and the order carry it. */
export type AppliedDiscount = DiscountTerms & {
  id: string;
  /** The code as staff wrote it; null for an automatic promotion. */
  code: string | null;
  /** "SPRING10 (10% off)", or the promotion's name. */
  label: string;
  /** Cents it saves: off the goods, plus the shipping it waives. */
  amount: number;
};

export type DiscountChoice = {
  applied?: AppliedDiscount;
  /** Totals with `applied` (or without a discount). */
  totals: Totals;
  /** Why the cart's own code does not apply right now; undefined when it does or there is none. */
  codeProblem?: string;
};

export type DiscountContext = { now: Date; /** Known at checkout: per-customer caps count from it. */ email?: string };

const termsOf = (d: DiscountRow): DiscountTerms => ({ kind: d.kind, value: d.value });

export const labelOf = (d: DiscountRow, currency = 'USD') =>
  d.code ? `${d.code.toUpperCase()} (${describeTerms(termsOf(d), currency)})` : d.name || describeTerms(termsOf(d), currency);

/** The discount with this code, ignoring case. */
export async function findByCode(conn: Conn, code: string): Promise<DiscountRow | undefined> {
  const [row] = await conn.select().from(discounts).where(sql`lower(${discounts.code}) = lower(${code.trim()})`);
  return row;
}

/** How many orders of `email` used each of `ids` (ignoring the email's case). */
async function usesBy(conn: Conn, ids: string[], email: string): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await conn
    .select({ id: discountRedemptions.discountId, n: sql<number>`count(*)::int` })
    .from(discountRedemptions)
    .where(and(inArray(discountRedemptions.discountId, ids), sql`lower(${discountRedemptions.email}) = lower(${email})`))
    .groupBy(discountRedemptions.discountId);
  return new Map(rows.map((r) => [r.id, r.n]));
}

/** The best discount for these lines among the cart's `code` and the automatic promotions. */
/** The automatic promotions switched on (read on every cart view and checkout). */
const activePromotions = prepared('active_promotions', (conn) => conn.select().from(discounts).where(and(isNull(discounts.code), eq(discounts.active, true))));

export async function chooseDiscount(
  conn: Conn,
  settings: StoreSettings,
  lines: PricedLine[],
  choice: TotalsChoice,
  code: string | null,
  at: DiscountContext,
): Promise<DiscountChoice> {
  const base = computeTotals(settings, lines, choice);
  const [own, promotions] = await Promise.all([
    code ? findByCode(conn, code) : undefined,
    activePromotions(conn).execute(),
  ]);
  const candidates = own ? [own, ...promotions] : promotions;
  const used = at.email ? await usesBy(conn, candidates.map((d) => d.id), at.email) : new Map<string, number>();
  const facts = { subtotal: base.subtotal, now: at.now, currency: settings.currency, timeZone: settings.serviceHours.timeZone };
  const problem = (d: DiscountRow) => whyNot(d, { ...facts, usedByCustomer: at.email ? (used.get(d.id) ?? 0) : undefined });

  let best: DiscountChoice = {
    totals: base,
    codeProblem: code && !own ? `There is no discount code ${code.toUpperCase()}. Check the spelling, or remove it.` : own ? problem(own) : undefined,
  };
  for (const d of candidates) {
    if (problem(d)) continue;
    const totals = computeTotals(settings, lines, { ...choice, discount: termsOf(d) });
    const amount = totals.discount + (base.shipping - totals.shipping);
    // Strictly lower: on a tie the shopper's own code (first) stays.
    if (amount > 0 && (!best.applied || totals.total < best.totals.total)) {
      best = { ...best, totals, applied: { id: d.id, code: d.code, label: labelOf(d, settings.currency), ...termsOf(d), amount } };
    }
  }
  return best;
}

/** Refuses a code that cannot be put on the cart now (422, with the reason in the shopper's words). */
export async function checkCode(conn: Conn, settings: StoreSettings, code: string, subtotal: number, now: Date): Promise<DiscountRow> {
  const shown = code.trim();
  const row = shown ? await findByCode(conn, shown) : undefined;
  const refuse = (message: string) => validationFailed({ code: message }, message);
  if (!shown) throw refuse('Enter a discount code.');
  if (!row) throw refuse(`There is no discount code ${shown.toUpperCase()}. Check the spelling.`);
  const problem = whyNot(row, { subtotal, now, currency: settings.currency, timeZone: settings.serviceHours.timeZone });
  if (problem) throw refuse(problem);
  return row;
}

/** Checkout refuses a cart whose code does not apply (422, field discountCode): the cart is where it is removed. */
export const codeRefused = (problem: string) => {
  const message = `${problem} Remove the code from your cart to check out without it.`;
  return validationFailed({ discountCode: message }, message);
};

/** Why a redemption could not be taken in the order transaction. */
export type RedemptionRefusal = { message: string };

/**
 * Takes one redemption of `applied` for an order of `email`, in the order transaction. The
 * conditional UPDATE locks the discount row, so the total cap holds however many checkouts
 * race, and the per-customer count read after it cannot change until this transaction ends.
 * Returns a refusal instead of throwing, so the caller can release the payment.
 */
export async function redeemDiscount(tx: Tx, applied: AppliedDiscount, orderId: string, email: string): Promise<RedemptionRefusal | undefined> {
  const [taken] = await tx
    .update(discounts)
    .set({ usedCount: sql`${discounts.usedCount} + 1`, updatedAt: sql`now()` })
    .where(and(eq(discounts.id, applied.id), sql`(${discounts.usageCap} is null or ${discounts.usedCount} < ${discounts.usageCap})`))
    .returning({ perCustomerCap: discounts.perCustomerCap });
  const name = applied.code ? `The code ${applied.code.toUpperCase()}` : `The promotion ${applied.label}`;
  if (!taken) return { message: `${name} was used up by other shoppers while your payment was being confirmed.` };
  if (taken.perCustomerCap !== null) {
    const before = (await usesBy(tx, [applied.id], email)).get(applied.id) ?? 0;
    if (before >= taken.perCustomerCap) return { message: `${name} was already used with ${email}.` };
  }
  await tx.insert(discountRedemptions).values({ discountId: applied.id, orderId, email, amount: applied.amount });
  return undefined;
}
