// What the back-office dashboard shows: work waiting per stage, revenue today and this
// week, time spent per stage, orders per day, and returns and refunds per week and by
// reason. Days and weeks are the shop's (settings.serviceHours.timeZone), not the server's.
// Typed queries only; the dashboard page formats them.
import { and, desc, eq, gte, isNotNull, lt, notInArray, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { AppContext } from '../../context.ts';
import { rows, type Conn } from '../../db/client.ts';
import { discountRedemptions, discounts, orders, payments, refunds, returnCases } from '../../db/schema.ts';
import { listOrders, medianStageDurations, type StageDuration } from '../orders/order-queries.ts';
import { BEFORE_SHIPPING, type OrderStatus } from '../orders/order-states.ts';
import { recoveredRevenue } from '../recovery/cart-recovery.ts';

/** A half-open span of time [from, to). */
export type Period = { from: Date; to: Date };

export type Revenue = {
  /** Orders placed in the period (every order is paid when it is created). */
  orders: number;
  /** Their totals, cents. */
  gross: number;
  /** Refunds that succeeded in the period (whenever their order was placed), cents. */
  refunded: number;
  /** gross − refunded, cents. */
  net: number;
  currency: string;
};

export type DayCount = { date: string; orders: number; gross: number };

export type WeekAfterSales = { weekStart: string; returns: number; refunds: number; refunded: number };

export type ReasonCount = { reason: string; count: number; amount?: number };

export type Dashboard = {
  now: Date;
  timeZone: string;
  /** Orders waiting in each stage that still needs the warehouse (shipping not started). */
  waiting: { status: OrderStatus; count: number }[];
  today: Revenue & Period;
  week: Revenue & Period;
  /** Median time in each stage over the last `stageDays` days (stages nobody left yet are absent). */
  stageDurations: Partial<Record<OrderStatus, StageDuration>>;
  stageDays: number;
  /** One entry per day, oldest first, the last being today (days without orders included). */
  ordersPerDay: DayCount[];
  /** One entry per week (Monday first), oldest first, the last being this week. */
  afterSalesPerWeek: WeekAfterSales[];
  /** Over the same weeks: return cases by the customer's reason, refunds by what caused them. */
  returnReasons: ReasonCount[];
  refundSources: ReasonCount[];
  /** Chargebacks still open at the card networks: each needs an answer in the provider's dashboard. */
  openDisputes: OpenDispute[];
  /** Abandoned checkouts reminded in the last 30 days, and the orders placed from them after the reminder. */
  recovered: { reminded: number; orders: number; total: number };
  /** Discounts given this week (goods and shipping waived), and the codes and promotions used most. */
  discounts: DiscountsGiven;
};

export type DiscountsGiven = { orders: number; amount: number; top: { name: string; orders: number; amount: number }[] };

export type OpenDispute = { orderNumber: string; status: string; reason: string; amount: number; currency: string };

/** Today and this week (Monday to Sunday) in `timeZone`, as instants. */
export function shopPeriods(now: Date, timeZone: string): { today: Period; week: Period } {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  const day = local.startOf('day');
  const week = local.startOf('week');
  return {
    today: { from: day.toJSDate(), to: day.plus({ days: 1 }).toJSDate() },
    week: { from: week.toJSDate(), to: week.plus({ weeks: 1 }).toJSDate() },
  };
}

/** Money taken in a period: orders placed, less refunds that succeeded in it. */
export async function revenueIn(conn: Conn, period: Period, currency: string): Promise<Revenue> {
  const [placed] = await conn
    .select({ n: sql<number>`count(*)::int`, sum: sql<number>`coalesce(sum(${orders.total}), 0)::int` })
    .from(orders)
    .where(and(gte(orders.createdAt, period.from), lt(orders.createdAt, period.to), sql`${orders.currency} = ${currency}`));
  // A succeeded refund is final, so its last update is the moment the money went back.
  const [back] = await conn
    .select({ sum: sql<number>`coalesce(sum(${refunds.amount}), 0)::int` })
    .from(refunds)
    .where(and(sql`${refunds.status} = 'succeeded'`, gte(refunds.updatedAt, period.from), lt(refunds.updatedAt, period.to), sql`${refunds.currency} = ${currency}`));
  const gross = Number(placed?.sum ?? 0);
  const refunded = Number(back?.sum ?? 0);
  return { orders: Number(placed?.n ?? 0), gross, refunded, net: gross - refunded, currency };
}

/** Orders placed per day in `timeZone`, for the `days` days ending today; empty days are 0. */
export async function ordersPerDay(conn: Conn, now: Date, timeZone: string, days: number): Promise<DayCount[]> {
  const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day');
  const first = today.minus({ days: days - 1 });
  const counted = await rows<{ day: string; n: number | string; gross: number | string }>(
    conn,
    sql`select to_char(${orders.createdAt} at time zone ${timeZone}, 'YYYY-MM-DD') as day, count(*) as n, coalesce(sum(${orders.total}), 0) as gross
        from ${orders}
        where ${orders.createdAt} >= ${first.toJSDate().toISOString()} and ${orders.createdAt} < ${today.plus({ days: 1 }).toJSDate().toISOString()}
        group by 1`,
  );
  const byDay = new Map(counted.map((r) => [r.day, r]));
  return Array.from({ length: days }, (_, i) => {
    const date = first.plus({ days: i }).toISODate()!;
    const row = byDay.get(date);
    return { date, orders: Number(row?.n ?? 0), gross: Number(row?.gross ?? 0) };
  });
}

/**
 * Return cases opened and refunds that succeeded, per week (Monday first) in `timeZone`,
 * for the `weeks` weeks ending with this one; plus the same span grouped by reason.
 */
export async function afterSales(
  conn: Conn,
  now: Date,
  timeZone: string,
  weeks: number,
): Promise<{ perWeek: WeekAfterSales[]; returnReasons: ReasonCount[]; refundSources: ReasonCount[] }> {
  const thisWeek = DateTime.fromJSDate(now, { zone: timeZone }).startOf('week');
  const first = thisWeek.minus({ weeks: weeks - 1 });
  const from = first.toJSDate();
  const to = thisWeek.plus({ weeks: 1 }).toJSDate();
  const weekOf = (column: unknown) => sql`to_char(date_trunc('week', ${column} at time zone ${timeZone}), 'YYYY-MM-DD')`;
  const inSpan = (column: typeof returnCases.createdAt | typeof refunds.updatedAt) => and(gte(column, from), lt(column, to));

  const returnWeeks = await conn
    .select({ week: sql<string>`${weekOf(returnCases.createdAt)}`, n: sql<number>`count(*)::int` })
    .from(returnCases)
    .where(inSpan(returnCases.createdAt))
    .groupBy(sql`1`);
  const refundWeeks = await conn
    .select({ week: sql<string>`${weekOf(refunds.updatedAt)}`, n: sql<number>`count(*)::int`, amount: sql<number>`coalesce(sum(${refunds.amount}), 0)::int` })
    .from(refunds)
    .where(and(sql`${refunds.status} = 'succeeded'`, inSpan(refunds.updatedAt)))
    .groupBy(sql`1`);
  const returnReasons = await conn
    .select({ reason: returnCases.reason, count: sql<number>`count(*)::int` })
    .from(returnCases)
    .where(inSpan(returnCases.createdAt))
    .groupBy(returnCases.reason)
    .orderBy(sql`2 desc`, returnCases.reason);
  const refundSources = await conn
    .select({ reason: refunds.source, count: sql<number>`count(*)::int`, amount: sql<number>`coalesce(sum(${refunds.amount}), 0)::int` })
    .from(refunds)
    .where(and(sql`${refunds.status} = 'succeeded'`, inSpan(refunds.updatedAt)))
    .groupBy(refunds.source)
    .orderBy(sql`2 desc`, refunds.source);

  const perWeek = Array.from({ length: weeks }, (_, i) => {
    const weekStart = first.plus({ weeks: i }).toISODate()!;
    const r = refundWeeks.find((w) => w.week === weekStart);
    return {
      weekStart,
      returns: Number(returnWeeks.find((w) => w.week === weekStart)?.n ?? 0),
      refunds: Number(r?.n ?? 0),
      refunded: Number(r?.amount ?? 0),
    };
  });
  const num = (r: ReasonCount) => ({ ...r, count: Number(r.count), ...(r.amount === undefined ? {} : { amount: Number(r.amount) }) });
  return { perWeek, returnReasons: returnReasons.map(num), refundSources: refundSources.map(num) };
}

/** Redemptions in `period`: how many, how much, and the five discounts used most (by orders, then amount). */
export async function discountsIn(conn: Conn, period: Period): Promise<DiscountsGiven> {
  const inPeriod = and(gte(discountRedemptions.createdAt, period.from), lt(discountRedemptions.createdAt, period.to));
  const [all] = await conn
    .select({ orders: sql<number>`count(*)::int`, amount: sql<number>`coalesce(sum(${discountRedemptions.amount}), 0)::int` })
    .from(discountRedemptions)
    .where(inPeriod);
  const top = await conn
    .select({ name: sql<string>`coalesce(upper(${discounts.code}), ${discounts.name})`, orders: sql<number>`count(*)::int`, amount: sql<number>`sum(${discountRedemptions.amount})::int` })
    .from(discountRedemptions)
    .innerJoin(discounts, eq(discounts.id, discountRedemptions.discountId))
    .where(inPeriod)
    .groupBy(discounts.id, discounts.code, discounts.name)
    .orderBy(sql`count(*) desc`, sql`sum(${discountRedemptions.amount}) desc`)
    .limit(5);
  return { orders: Number(all?.orders ?? 0), amount: Number(all?.amount ?? 0), top: top.map((r) => ({ name: r.name, orders: Number(r.orders), amount: Number(r.amount) })) };
}

/** Everything on the dashboard, as of the context's clock. */
export async function dashboard(ctx: AppContext, opts: { days?: number; weeks?: number } = {}): Promise<Dashboard> {
  const days = opts.days ?? 30;
  const weeks = opts.weeks ?? 8;
  const now = ctx.clock.now();
  const settings = ctx.settings();
  const timeZone = settings.serviceHours.timeZone;
  const periods = shopPeriods(now, timeZone);
  // The queue's own counts, so the dashboard and the queue tabs never disagree.
  const { counts } = await listOrders(ctx.db, { page: 1, limit: 1 });
  const today = await revenueIn(ctx.db, periods.today, settings.currency);
  const week = await revenueIn(ctx.db, periods.week, settings.currency);
  const since = DateTime.fromJSDate(now).minus({ days }).toJSDate();
  const stageDurations = await medianStageDurations(ctx.db, since, settings.serviceHours);
  const perDay = await ordersPerDay(ctx.db, now, timeZone, days);
  const after = await afterSales(ctx.db, now, timeZone, weeks);
  return {
    now,
    timeZone,
    waiting: BEFORE_SHIPPING.map((status) => ({ status, count: counts[status] })),
    today: { ...today, ...periods.today },
    week: { ...week, ...periods.week },
    stageDurations,
    stageDays: days,
    ordersPerDay: perDay,
    afterSalesPerWeek: after.perWeek,
    returnReasons: after.returnReasons,
    refundSources: after.refundSources,
    openDisputes: await openDisputes(ctx.db),
    recovered: await recoveredRevenue(ctx),
    discounts: await discountsIn(ctx.db, periods.week),
  };
}

/** Payments with a chargeback not yet won or lost, newest first (the partial index on dispute_status keeps this cheap). */
export async function openDisputes(conn: Conn): Promise<OpenDispute[]> {
  return conn
    .select({ orderNumber: orders.number, status: payments.disputeStatus, reason: payments.disputeReason, amount: payments.disputeAmount, currency: payments.currency })
    .from(payments)
    .innerJoin(orders, eq(orders.id, payments.orderId))
    .where(and(isNotNull(payments.disputeStatus), notInArray(payments.disputeStatus, ['won', 'lost', 'warning_closed', 'charge_refunded'])))
    .orderBy(desc(payments.updatedAt))
    .limit(50)
    .then((r) => r.map((d) => ({ orderNumber: d.orderNumber, status: d.status ?? '', reason: d.reason ?? '', amount: d.amount ?? 0, currency: d.currency })));
}
