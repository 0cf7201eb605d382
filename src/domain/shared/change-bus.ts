// Tells every instance that something cached changed. Uses PostgreSQL NOTIFY, which is
// delivered only when the writing transaction commits, to every listening instance
// (including the writer itself), so caches never serve data that was rolled back.
import { sql } from 'drizzle-orm';
import { ANY_CHANGE, type Conn, type Database } from '../../db/client.ts';

export const CHANGES_CHANNEL = 'casanova_changes';

/** What changed: the catalog (pages, product JSON) or the store settings. */
export type ChangeTopic = 'catalog' | 'settings';

/** The NOTIFY as an expression, for a caller that folds it into a larger statement. */
export const announceChangeSql = (topic: ChangeTopic) => sql`pg_notify(${CHANGES_CHANNEL}, ${topic})`;

export async function announceChange(conn: Conn, topic: ChangeTopic): Promise<void> {
  await conn.execute(sql`select ${announceChangeSql(topic)}`);
}

const TOPICS: ChangeTopic[] = ['catalog', 'settings'];

export async function onChange(database: Database, fn: (topic: ChangeTopic) => void): Promise<void> {
  await database.listen(CHANGES_CHANNEL, (payload) => (payload === ANY_CHANGE ? TOPICS.forEach(fn) : fn(payload as ChangeTopic)));
}

/** Sent by a database trigger (migration 0004) with the order id whenever an order or anything under it changes. */
export const ORDER_CHANGED_CHANNEL = 'casanova_order_changed';

/** `fn` gets the changed order's id, or ANY_CHANGE when notifications may have been missed. */
export async function onOrderChange(database: Database, fn: (orderId: string) => void): Promise<void> {
  await database.listen(ORDER_CHANGED_CHANNEL, fn);
}
