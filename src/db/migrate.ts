// Applies the SQL migrations under an advisory lock: several instances may start at once.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './client.ts';

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const LOCK_ID = 7_240_001; // arbitrary, constant: "casanova migrations"

export async function migrate(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    // One process per data folder (lock file), so no advisory lock is needed.
    const { migrate: run } = await import('drizzle-orm/pglite/migrator');
    await run(database.db as never, { migrationsFolder });
    return;
  }
  // A session-level advisory lock belongs to one connection: take it, migrate and
  // release it on a dedicated client, not on the pool.
  const { default: pg } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate: run } = await import('drizzle-orm/node-postgres/migrator');
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [LOCK_ID]);
    await run(drizzle(client), { migrationsFolder });
  } finally {
    await client.query('select pg_advisory_unlock($1)', [LOCK_ID]).catch(() => {});
    await client.end();
  }
}
