// How many orders are in each state, read from the counters a trigger keeps on every order
// change (order_status_counts): a few rows instead of a count over every order ever placed.
import { sql } from 'drizzle-orm';
import type { Conn } from '../../db/client.ts';
import { prepared } from '../../db/prepared.ts';
import { orderStatusCounts } from '../../db/schema.ts';
import { ORDER_STATUSES, type OrderStatus } from './order-states.ts';

// Read on every queue view and dashboard: prepared, so PostgreSQL plans it once per connection.
const countsQuery = prepared('order_status_counts', (conn) =>
  conn
    .select({ status: orderStatusCounts.status, n: sql<number>`sum(${orderStatusCounts.count})::int` })
    .from(orderStatusCounts)
    .groupBy(orderStatusCounts.status),
);

export async function orderCountsByStatus(conn: Conn): Promise<Record<OrderStatus, number>> {
  const counts = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatus, number>;
  const found = await countsQuery(conn).execute();
  for (const row of found) if (row.status in counts) counts[row.status as OrderStatus] = Number(row.n);
  return counts;
}
