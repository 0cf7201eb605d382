// Tells every instance that something cached changed. Uses PostgreSQL NOTIFY, which is
// delivered only when the writing transaction commits, to every listening instance
// (including the writer itself), so caches never serve data that was rolled back.
import { sql } from 'drizzle-orm';
import type { Conn, Database } from '../../db/client.ts';

export const CHANGES_CHANNEL = 'casanova_changes';

/** What changed: the catalog (pages, product JSON) or the store settings. */
export type ChangeTopic = 'catalog' | 'settings';

export async function announceChange(conn: Conn, topic: ChangeTopic): Promise<void> {
  await conn.execute(sql`select pg_notify(${CHANGES_CHANNEL}, ${topic})`);
}

export async function onChange(database: Database, fn: (topic: ChangeTopic) => void): Promise<void> {
  await database.listen(CHANGES_CHANNEL, (payload) => fn(payload as ChangeTopic));
}
