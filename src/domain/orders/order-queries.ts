// Reading orders for the back office: the work queue, one order with everything that
// happened to it, and how long orders spend in each stage. Typed queries only; no rules.
import { and, asc, desc, eq, inArray, or, sql, type Placeholder, type SQL, type SQLWrapper } from 'drizzle-orm';
import { QueryBuilder, alias } from 'drizzle-orm/pg-core';
import { prepared } from '../../db/prepared.ts';
import type { Conn } from '../../db/client.ts';
import { rows } from '../../db/client.ts';
import { carrierEvents, orderEvents, orderItems, orders, payments, refunds, shipments, staff } from '../../db/schema.ts';
import { notFound, validationFailed } from '../shared/errors.ts';
import { phoneToE164 } from '../checkout/checkout-input.ts';
import { notificationLog, type NotificationLogEntry } from '../notifications/notification-log.ts';
import { carrierTrackingUrl } from '../shipments/carriers.ts';
import { shipmentContents } from '../shipments/shipment-contents.ts';
import { serviceMillisBetween, type ServiceHours } from '../support/service-hours.ts';
import { canonicalOrderNumber } from './order-number.ts';
import { orderCountsByStatus } from './order-counts.ts';
import { BEFORE_SHIPPING, FINAL_STATES, ORDER_STATUSES, type OrderStatus } from './order-states.ts';

export type Order = typeof orders.$inferSelect;
export type OrderItem = typeof orderItems.$inferSelect;

/** A queue tab: one state, or every order that still needs the warehouse ("open"). */
export type QueueFilter = OrderStatus | 'open';
export const isQueueFilter = (s: string): s is QueueFilter => s === 'open' || (ORDER_STATUSES as string[]).includes(s);

export type OrderListQuery = {
  status?: QueueFilter;
  q?: string;
  sku?: string;
  page: number;
  limit: number;
  /**
   * Keyset cursor: the number of the last order of the previous page (its nextCursor). The
   * page is then the orders after it in the queue's order and `page` is ignored: a deep page
   * costs what the first one does, where an offset reads and drops every row before it.
   */
  after?: string;
};

export type OrderListItem = {
  number: string;
  status: OrderStatus;
  createdAt: Date;
  total: number;
  /** Cents the discount took off the goods, and its code (or promotion name). */
  discount: number;
  discountCode: string | null;
  currency: string;
  customerName: string;
  email: string;
  /** Why staff held the order (on_hold only). */
  holdReason: string | null;
  itemCount: number;
  items: { sku: string; quantity: number }[];
};

export type OrderList = {
  items: OrderListItem[];
  /** Orders matching every filter, across pages. */
  total: number;
  /** Orders per state matching the search (not the state filter): the numbers on the tabs. */
  counts: Record<OrderStatus, number>;
  /** The `after` that gives the next page, or null when this page is the last. */
  nextCursor: string | null;
};

/** Up to four prefix letters, then four to eight characters of READABLE_ALPHABET (no 0, 1, I, L, O). */
const PART_OF_NUMBER = /^[A-Z]{0,4}[2-9A-HJKMNP-Z]{4,8}$/;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * What a search box query can mean: an order number (typed any way), an email, a phone
 * number (any US format, compared as E.164) or part of the customer's name. Each reading
 * that fits is tried; an order matching any of them is found.
 */
function searchCondition(input: string): SQL {
  const q = input.trim();
  const readings: SQL[] = [];
  const number = canonicalOrderNumber(q);
  if (number) readings.push(eq(orders.number, number));
  const compact = q.replace(/[\s-]/g, '').toUpperCase();
  // Staff often have only part of the number ("the one ending 9QX2").
  // Only a fragment that can occur in a number (a prefix, then readable characters) is looked
  // for inside numbers: a whole number is found exactly above, and a name like "Robert" (an O)
  // would only cost a trigram scan over every order.
  if (!number && PART_OF_NUMBER.test(compact)) readings.push(sql`replace(${orders.number}, '-', '') like ${`%${escapeLike(compact)}%`}`);
  if (q.includes('@')) readings.push(sql`lower(${orders.email}) = ${q.toLowerCase()}`);
  const phone = /\d{3}/.test(q) ? phoneToE164(q) : undefined;
  if (phone) readings.push(eq(orders.phone, phone));
  if (/\p{L}/u.test(q) && !q.includes('@')) readings.push(sql`lower(${orders.shippingAddress}->>'name') like ${`%${escapeLike(q.toLowerCase())}%`}`);
  return readings.length ? or(...readings)! : sql`false`;
}

function filters(query: Pick<OrderListQuery, 'q' | 'sku'>): SQL[] {
  const where: SQL[] = [];
  if (query.q?.trim()) where.push(searchCondition(query.q));
  const sku = query.sku?.trim().toUpperCase();
  if (sku) where.push(sql`exists (select 1 from ${orderItems} where ${orderItems.orderId} = ${orders.id} and upper(${orderItems.sku}) = ${sku})`);
  return where;
}

const statusCondition = (status: QueueFilter | Placeholder): SQL =>
  status === 'open' ? inArray(orders.status, [...BEFORE_SHIPPING]) : eq(orders.status, status as OrderStatus | Placeholder);

const cursorOrder = alias(orders, 'cursor');

/**
 * The orders after the cursor's order in the queue's order, as one row comparison the
 * queue's (…, created_at, number) indexes answer directly. The cursor's position is read in SQL,
 * not carried as a timestamp: a JS Date would drop created_at's microseconds. An order that
 * changed state since keeps its place, so the next page still starts where this one ended.
 */
function afterCondition(number: string | Placeholder, newestFirst: boolean): SQL {
  const position = new QueryBuilder()
    .select({ createdAt: cursorOrder.createdAt, number: cursorOrder.number })
    .from(cursorOrder)
    .where(eq(cursorOrder.number, number));
  return newestFirst ? sql`(${orders.createdAt}, ${orders.number}) < ${position}` : sql`(${orders.createdAt}, ${orders.number}) > ${position}`;
}

const badCursor = (why: string) => validationFailed({ after: `${why}: give the nextCursor of the previous page.` }, 'The cursor `after` is not valid.');

/** One page of the queue's rows, in the queue's order, each with its lines. */
function selectQueue(conn: Conn, where: SQL | undefined, newestFirst: boolean, limit: number | Placeholder, offset: number | Placeholder) {
  // The number breaks ties in created_at's direction, so the pair is one sort key a row comparison can continue from.
  const sortedBy = (t: { createdAt: SQLWrapper; number: SQLWrapper }) =>
    newestFirst ? [desc(t.createdAt), desc(t.number)] : [asc(t.createdAt), asc(t.number)];
  const page = conn
    .select({
      id: orders.id,
      number: orders.number,
      status: orders.status,
      createdAt: orders.createdAt,
      total: orders.total,
      discount: orders.discount,
      discountCode: orders.discountCode,
      currency: orders.currency,
      customerName: sql<string>`${orders.shippingAddress}->>'name'`.as('customer_name'),
      email: orders.email,
      holdReason: orders.holdReason,
    })
    .from(orders)
    .where(where)
    .orderBy(...sortedBy(orders))
    .limit(limit)
    .offset(offset)
    .as('page');
  const { id: _id, ...columns } = page._.selectedFields;
  return conn
    .select({
      ...columns,
      // The lines in the same round trip, read for the page's rows only (not for the rows an
      // offset skips). Spelled out with aliases: Drizzle leaves the columns of a one-table
      // select unqualified, and an unqualified "id" in here would be the line's own.
      items: sql<{ sku: string; quantity: number }[]>`(select coalesce(json_agg(json_build_object('sku', line.sku, 'quantity', line.quantity) order by line.position), '[]'::json)
        from ${orderItems} line where line.order_id = page.id)`,
    })
    .from(page)
    .orderBy(...sortedBy(page));
}

type Tab = 'all' | 'one' | 'open';

/**
 * A queue view without a search is one of a dozen shapes (tab kind × direction × offset or
 * cursor), each prepared once: PostgreSQL then plans it once per connection, which took the
 * page query from 0.77 to 0.44 ms at a million orders (pgbench, one client). Searches vary
 * in shape and run as built.
 */
const queueStatements = new Map<string, ReturnType<typeof preparedQueue>>();
function preparedQueue(name: string, tab: Tab, newestFirst: boolean, byCursor: boolean) {
  return prepared(name, (conn) => {
    const where = and(
      ...(tab === 'all' ? [] : [statusCondition(tab === 'open' ? 'open' : sql.placeholder('status'))]),
      ...(byCursor ? [afterCondition(sql.placeholder('after'), newestFirst)] : []),
    );
    return selectQueue(conn, where, newestFirst, sql.placeholder('limit'), sql.placeholder('offset'));
  });
}
function queueStatement(tab: Tab, newestFirst: boolean, byCursor: boolean) {
  const name = `queue_${tab}_${newestFirst ? 'newest' : 'oldest'}_${byCursor ? 'after' : 'offset'}`;
  let statement = queueStatements.get(name);
  if (!statement) queueStatements.set(name, (statement = preparedQueue(name, tab, newestFirst, byCursor)));
  return statement;
}

/**
 * The work queue. Working states list the oldest payment first (that order has waited
 * longest); finished states (delivered, cancelled) the most recent first.
 */
export async function listOrders(conn: Conn, query: OrderListQuery): Promise<OrderList> {
  const [page, counts] = await Promise.all([listOrderPage(conn, query), countsPerState(conn, query)]);
  const counted = !query.status ? ORDER_STATUSES : query.status === 'open' ? BEFORE_SHIPPING : [query.status];
  return { ...page, total: counted.reduce((n, s) => n + counts[s], 0), counts };
}

/** One page of the queue without the tabs' counts (the CSV export walks the pages and shows no counts). */
export async function listOrderPage(conn: Conn, query: OrderListQuery): Promise<Pick<OrderList, 'items' | 'nextCursor'>> {
  const after = query.after === undefined ? undefined : canonicalOrderNumber(query.after);
  if (query.after !== undefined && !after) throw badCursor('Not an order number');
  const newestFirst = query.status !== undefined && query.status !== 'open' && FINAL_STATES.includes(query.status);
  // One row more than the page tells whether there is a next page.
  const limit = query.limit + 1;
  const offset = after ? 0 : (query.page - 1) * query.limit;
  const searched = filters(query);
  const fetched = searched.length
    ? await selectQueue(conn, and(...searched, ...(query.status ? [statusCondition(query.status)] : []), ...(after ? [afterCondition(after, newestFirst)] : [])), newestFirst, limit, offset)
    : await queueStatement(!query.status ? 'all' : query.status === 'open' ? 'open' : 'one', newestFirst, after !== undefined)(conn).execute({ status: query.status, after, limit, offset });
  const page = fetched.slice(0, query.limit);
  // Nothing after the cursor: either the end of the list or a cursor that names no order.
  if (after && !page.length && !(await conn.select({ id: orders.id }).from(orders).where(eq(orders.number, after))).length) {
    throw badCursor(`No order ${after}`);
  }
  return {
    items: page.map((o) => ({ ...o, status: o.status as OrderStatus, itemCount: o.items.reduce((n, i) => n + i.quantity, 0) })),
    nextCursor: fetched.length > query.limit ? page.at(-1)!.number : null,
  };
}

/**
 * Orders per state matching the search (not the state filter). Without a search the numbers
 * come from the trigger-kept counters: counting a year of delivered orders on every queue
 * view would cost more than the page itself. With one, a single count per state of the
 * matches gives both the tabs and the total.
 */
async function countsPerState(conn: Conn, query: OrderListQuery): Promise<Record<OrderStatus, number>> {
  const searched = filters(query);
  if (!searched.length) return orderCountsByStatus(conn);
  const perStatus = await conn
    .select({ status: orders.status, n: sql<number>`count(*)::int` })
    .from(orders)
    .where(and(...searched))
    .groupBy(orders.status);
  const counts = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatus, number>;
  for (const row of perStatus) if (row.status in counts) counts[row.status as OrderStatus] = Number(row.n);
  return counts;
}

export type OrderEvent = typeof orderEvents.$inferSelect & { staffName: string | null };
export type CarrierEvent = typeof carrierEvents.$inferSelect;
export type ShipmentDetail = typeof shipments.$inferSelect & {
  carrierTrackingUrl: string | null;
  staffName: string | null;
  events: CarrierEvent[];
  /** The order lines and units in this parcel. */
  contents: { sku: string; productName: string; quantity: number }[];
};

export type OrderDetail = {
  order: Order;
  items: OrderItem[];
  /** Every payment attempt for the order (the payment record). */
  payments: (typeof payments.$inferSelect)[];
  refunds: (typeof refunds.$inferSelect)[];
  shipments: ShipmentDetail[];
  /** The timeline, oldest first, internal notes included. */
  events: OrderEvent[];
  /** Emails about the order, from the outbox. */
  notifications: NotificationLogEntry[];
};

/** One order with everything that happened to it; accepts the number as people type it. */
export async function getOrderDetail(conn: Conn, number: string): Promise<OrderDetail> {
  const canonical = canonicalOrderNumber(number);
  const [order] = canonical ? await conn.select().from(orders).where(eq(orders.number, canonical)) : [];
  if (!order) throw notFound('Order');

  const [items, paymentRows, refundRows, shipmentRows, eventRows, notifications, contents] = await Promise.all([
    conn.select().from(orderItems).where(eq(orderItems.orderId, order.id)).orderBy(asc(orderItems.position)),
    conn.select().from(payments).where(eq(payments.orderId, order.id)).orderBy(asc(payments.createdAt)),
    conn.select().from(refunds).where(eq(refunds.orderId, order.id)).orderBy(asc(refunds.createdAt)),
    conn
      .select({ shipment: shipments, staffName: staff.name })
      .from(shipments)
      .leftJoin(staff, eq(staff.id, shipments.staffId))
      .where(eq(shipments.orderId, order.id))
      .orderBy(asc(shipments.shippedAt)),
    conn
      .select({ event: orderEvents, staffName: staff.name })
      .from(orderEvents)
      .leftJoin(staff, eq(staff.id, orderEvents.staffId))
      .where(eq(orderEvents.orderId, order.id))
      .orderBy(asc(orderEvents.createdAt), asc(orderEvents.id)),
    notificationLog(conn, { orderId: order.id }),
    shipmentContents(conn, order.id),
  ]);

  const carrierRows = shipmentRows.length
    ? await conn
        .select()
        .from(carrierEvents)
        .where(inArray(carrierEvents.shipmentId, shipmentRows.map((s) => s.shipment.id)))
        .orderBy(asc(carrierEvents.occurredAt))
    : [];

  return {
    order,
    items,
    payments: paymentRows,
    refunds: refundRows,
    shipments: shipmentRows.map(({ shipment, staffName }) => ({
      ...shipment,
      staffName,
      carrierTrackingUrl: carrierTrackingUrl(shipment.carrier, shipment.trackingNumber),
      events: carrierRows.filter((e) => e.shipmentId === shipment.id),
      contents: contents.get(shipment.id) ?? [],
    })),
    events: eventRows.map(({ event, staffName }) => ({ ...event, staffName })),
    notifications,
  };
}

export type StageDuration = {
  /** Median wall-clock time spent in the stage, ms. */
  medianMs: number;
  /** Median working time (service hours only), ms; present when hours were given. */
  medianWorkingMs?: number;
  /** How many orders left the stage in the period. */
  samples: number;
};

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2);
};

/**
 * The working time of this many spans per stage, the latest ones, gives the working-time median:
 * the working-hours arithmetic costs about 0.3 ms a span, and at a million orders a year the
 * last 30 days hold some 650,000 spans (over three minutes of CPU; measured).
 */
const WORKING_SAMPLE = 500;

/**
 * How long orders spent in each stage: the time between an order entering a state and its
 * next state change, for stages entered since `since` and already left. The wall-clock median
 * and the count are exact (in SQL); with `hours`, also the median in working time (the
 * tracking estimate counts only the warehouse's hours) of the latest WORKING_SAMPLE spans.
 */
export async function medianStageDurations(conn: Conn, since: Date, hours?: ServiceHours): Promise<Partial<Record<OrderStatus, StageDuration>>> {
  const stages = await rows<{ stage: string; samples: number; median_ms: number; latest: [string, string][] }>(
    conn,
    sql`select stage, count(*)::int as samples,
          percentile_cont(0.5) within group (order by extract(epoch from ended - started) * 1000) as median_ms,
          json_agg(json_build_array(started, ended)) filter (where latest <= ${WORKING_SAMPLE}) as latest
        from (
          select stage, started, ended, row_number() over (partition by stage order by started desc) as latest
          from (
            select ${orderEvents.toStatus} as stage, ${orderEvents.createdAt} as started,
                   lead(${orderEvents.createdAt}) over (partition by ${orderEvents.orderId} order by ${orderEvents.createdAt}, ${orderEvents.id}) as ended
            from ${orderEvents}
            where ${orderEvents.toStatus} is not null and ${orderEvents.createdAt} >= ${since.toISOString()}
          ) spans
          where ended is not null
        ) ranked
        group by stage`,
  );
  const result: Partial<Record<OrderStatus, StageDuration>> = {};
  for (const { stage, samples, median_ms, latest } of stages) {
    const working = hours ? { medianWorkingMs: median(latest.map(([a, b]) => serviceMillisBetween(hours, new Date(a), new Date(b)))) } : {};
    result[stage as OrderStatus] = { medianMs: Math.round(Number(median_ms)), samples: Number(samples), ...working };
  }
  return result;
}
