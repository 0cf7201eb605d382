// Staff manage discounts: list, create, change and deactivate. Deactivating keeps the row
// (its redemptions and the orders that used it still point at it); nothing is deleted.
import { desc, eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { Conn } from '../../db/client.ts';
import { discounts } from '../../db/schema.ts';
import { notFound, validationFailed } from '../shared/errors.ts';
import { discountInputErrors, type DiscountInput } from './discount-rules.ts';
import type { DiscountRow } from './discount-service.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every discount, newest first. */
export const listDiscounts = (conn: Conn): Promise<DiscountRow[]> => conn.select().from(discounts).orderBy(desc(discounts.createdAt), desc(discounts.id));

export async function findDiscount(conn: Conn, id: string): Promise<DiscountRow> {
  const [row] = UUID.test(id) ? await conn.select().from(discounts).where(eq(discounts.id, id)) : [];
  if (!row) throw notFound('Discount');
  return row;
}

/** Refuses input with per-field messages, including a code another discount already has (ignoring case). */
async function check(conn: Conn, input: DiscountInput, id?: string) {
  const errors = discountInputErrors(input);
  if (!errors.code && input.code !== null) {
    const [taken] = await conn
      .select({ id: discounts.id })
      .from(discounts)
      .where(sql`lower(${discounts.code}) = lower(${input.code}) ${id ? sql`and ${discounts.id} <> ${id}` : sql``}`);
    if (taken) errors.code = `Another discount already uses the code ${input.code.toUpperCase()}`;
  }
  if (Object.keys(errors).length) throw validationFailed(errors, 'Some fields of the discount need attention.');
}

const columns = (input: DiscountInput) => ({
  code: input.code,
  name: input.name.trim(),
  kind: input.kind,
  value: input.kind === 'free_shipping' ? 0 : input.value,
  startsAt: input.startsAt,
  endsAt: input.endsAt,
  minSubtotal: input.minSubtotal,
  usageCap: input.usageCap,
  perCustomerCap: input.perCustomerCap,
  active: input.active,
});

export async function createDiscount(ctx: Pick<AppContext, 'db'>, input: DiscountInput): Promise<DiscountRow> {
  return ctx.db.transaction(async (tx) => {
    await check(tx, input);
    const [row] = await tx.insert(discounts).values(columns(input)).returning();
    return row!;
  });
}

/** Changes a discount; the used count stays (lowering a cap below it simply ends further use). */
export async function updateDiscount(ctx: Pick<AppContext, 'db'>, id: string, input: DiscountInput): Promise<DiscountRow> {
  return ctx.db.transaction(async (tx) => {
    await findDiscount(tx, id);
    await check(tx, input, id);
    const [row] = await tx
      .update(discounts)
      .set({ ...columns(input), updatedAt: sql`now()` })
      .where(eq(discounts.id, id))
      .returning();
    return row!;
  });
}

export async function deactivateDiscount(ctx: Pick<AppContext, 'db'>, id: string): Promise<DiscountRow> {
  await findDiscount(ctx.db, id);
  const [row] = await ctx.db.update(discounts).set({ active: false, updatedAt: sql`now()` }).where(eq(discounts.id, id)).returning();
  return row!;
}
