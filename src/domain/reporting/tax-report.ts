// Sales tax for filing: what was charged per state and month (goods and shipping, the
// taxable amount, what refunds gave back), and how far this year's sales in each state are
// from its economic-nexus threshold. Months and years are the shop's, in its time zone.
// Cancelled orders are left out: all of their money, tax included, went back.
import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { rows, type Conn } from '../../db/client.ts';
import type { StoreSettings } from '../settings/store-settings.ts';

export type TaxMonthRow = {
  /** YYYY-MM in the shop's time zone. */
  month: string;
  state: string;
  orders: number;
  /** Goods sold (subtotal) and shipping charged, cents. */
  sales: number;
  shipping: number;
  /** What the state taxed (goods not exempt, shipping where taxed). */
  taxable: number;
  /** Tax charged on the month's orders, and the part of it on shipping. */
  tax: number;
  shippingTax: number;
  /** Tax returned by refunds made in the month (returns and refunds). */
  refundedTax: number;
  /** tax − refundedTax: what is owed for the month. */
  netTax: number;
};

/** Per state and month, for orders placed (and refunds made) from `from` (inclusive) to `to` (exclusive). */
export async function taxByStateAndMonth(conn: Conn, period: { from: Date; to: Date }, timeZone: string): Promise<TaxMonthRow[]> {
  const found = await rows<Record<string, string | number>>(
    conn,
    sql`with charged as (
          select to_char(o.created_at at time zone ${timeZone}, 'YYYY-MM') as month, o.shipping_address->>'state' as state,
                 count(*) as orders, sum(o.subtotal) as sales, sum(o.shipping) as shipping, sum(o.tax) as tax, sum(o.shipping_tax) as shipping_tax,
                 sum((select coalesce(sum((j->>'taxable')::bigint), 0) from jsonb_array_elements(o.tax_breakdown) j)) as taxable
          from orders o
          where o.created_at >= ${period.from.toISOString()} and o.created_at < ${period.to.toISOString()} and o.status <> 'cancelled'
          group by 1, 2
        ), refunded as (
          select to_char(e.created_at at time zone ${timeZone}, 'YYYY-MM') as month, o.shipping_address->>'state' as state,
                 sum(coalesce((e.details->>'tax')::bigint, 0)) as refunded_tax
          from order_events e join orders o on o.id = e.order_id
          where e.type = 'return' and e.details ? 'refundId' and e.details->>'refundId' is not null
            and e.created_at >= ${period.from.toISOString()} and e.created_at < ${period.to.toISOString()}
          group by 1, 2
        )
        select coalesce(c.month, r.month) as month, coalesce(c.state, r.state) as state,
               coalesce(c.orders, 0) as orders, coalesce(c.sales, 0) as sales, coalesce(c.shipping, 0) as shipping,
               coalesce(c.taxable, 0) as taxable, coalesce(c.tax, 0) as tax, coalesce(c.shipping_tax, 0) as shipping_tax,
               coalesce(r.refunded_tax, 0) as refunded_tax
        from charged c full outer join refunded r on r.month = c.month and r.state = c.state
        order by 1, 2`,
  );
  return found.map((r) => {
    const n = (k: string) => Number(r[k] ?? 0);
    return {
      month: String(r.month),
      state: String(r.state),
      orders: n('orders'),
      sales: n('sales'),
      shipping: n('shipping'),
      taxable: n('taxable'),
      tax: n('tax'),
      shippingTax: n('shipping_tax'),
      refundedTax: n('refunded_tax'),
      netTax: n('tax') - n('refunded_tax'),
    };
  });
}

/** The months `from`–`to` (YYYY-MM, inclusive) as instants in the shop's time zone. */
export function monthsPeriod(from: string, to: string, timeZone: string): { from: Date; to: Date } | undefined {
  const start = DateTime.fromFormat(from, 'yyyy-MM', { zone: timeZone });
  const end = DateTime.fromFormat(to, 'yyyy-MM', { zone: timeZone });
  if (!start.isValid || !end.isValid || end < start) return undefined;
  return { from: start.toJSDate(), to: end.plus({ months: 1 }).toJSDate() };
}

export type NexusState = {
  state: string;
  sales: number;
  transactions: number;
  salesThreshold: number;
  transactionThreshold: number | null;
  /** The nearer of the two tests, 0…1+ (1 = threshold reached). */
  progress: number;
  /** The store already charges this state's tax. */
  collecting: boolean;
};

/**
 * This calendar year's sales (goods + shipping) and transactions per destination state,
 * against each state's threshold, nearest to crossing first. Most states count gross sales
 * into the state, which is what is measured here.
 */
export async function nexusProgress(conn: Conn, settings: StoreSettings, now: Date): Promise<NexusState[]> {
  const year = DateTime.fromJSDate(now, { zone: settings.serviceHours.timeZone }).startOf('year');
  const found = await rows<{ state: string; sales: string | number; transactions: string | number }>(
    conn,
    sql`select shipping_address->>'state' as state, sum(subtotal + shipping) as sales, count(*) as transactions
        from orders
        where created_at >= ${year.toJSDate().toISOString()} and created_at < ${year.plus({ years: 1 }).toJSDate().toISOString()} and status <> 'cancelled'
        group by 1`,
  );
  return found
    .map((r) => {
      const own = settings.nexus.states[r.state];
      const salesThreshold = own?.sales ?? settings.nexus.sales;
      const transactionThreshold = own ? own.transactions : settings.nexus.transactions;
      const sales = Number(r.sales);
      const transactions = Number(r.transactions);
      const progress = Math.max(salesThreshold > 0 ? sales / salesThreshold : 0, transactionThreshold ? transactions / transactionThreshold : 0);
      return { state: r.state, sales, transactions, salesThreshold, transactionThreshold, progress, collecting: (settings.taxRates[r.state] ?? 0) > 0 };
    })
    .sort((a, b) => b.progress - a.progress || a.state.localeCompare(b.state));
}
