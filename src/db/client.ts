// Opens the database: PostgreSQL when DATABASE_URL is set, else embedded PGlite in DATA_DIR.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Anything queries can run on: the database or an open transaction. */
export type Conn = Db | Tx;

/** Payload handed to every listener after a lost notification connection came back: drop all caches. */
export const ANY_CHANGE = '*';

export type Database = {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** The PostgreSQL URL (unset for PGlite). */
  url?: string;
  /** Runs `fn` for every NOTIFY on `channel` (cache invalidation across instances). */
  listen(channel: string, fn: (payload: string) => void): Promise<void>;
  /** PGlite only: a gzipped tar of the data folder as of one moment between transactions (backups). */
  dumpDataDir?(): Promise<Blob>;
  close(): Promise<void>;
};

export type OpenOptions = { databaseUrl?: string; dataDir?: string; inMemory?: boolean; poolSize?: number; pgliteDump?: Blob };

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.poolSize ?? 10) : openPglite(opts);
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const { default: pg } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  // Dates come back as JS Dates; bigint (count(*)) as numbers: counts here stay far below 2^53.
  pg.types.setTypeParser(20, (v) => Number(v));
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => {}); // an idle client lost: the pool replaces it; queries report their own errors
  const db = drizzle(pool, { schema }) as unknown as Db;
  let listener: Promise<import('pg').PoolClient> | undefined;
  let closed = false;
  const handlers = new Map<string, ((p: string) => void)[]>();
  const quote = (channel: string) => `"${channel.replace(/"/g, '')}"`;
  // One connection holds every LISTEN. If it is lost (server restart, network), reconnect
  // and tell every handler that anything may have changed meanwhile (payload ANY_CHANGE),
  // so caches are dropped instead of serving what a missed notification would have cleared.
  const connectListener = (): Promise<import('pg').PoolClient> =>
    (listener = (async () => {
      const client = await pool.connect();
      client.on('notification', (n) => handlers.get(n.channel)?.forEach((h) => h(n.payload ?? '')));
      let lost = false;
      client.on('error', () => {
        // A dropped connection can report more than one error: release and reconnect once.
        // After close() the client went back to the pool, which ends it: nothing to do.
        if (lost || closed) return;
        lost = true;
        client.release(true);
        listener = undefined;
        if (!closed) setTimeout(reconnect, 1000).unref();
      });
      for (const channel of handlers.keys()) await client.query(`LISTEN ${quote(channel)}`);
      return client;
    })());
  const reconnect = () =>
    connectListener().then(
      () => handlers.forEach((list) => list.forEach((h) => h(ANY_CHANGE))),
      () => {
        listener = undefined;
        if (!closed) setTimeout(reconnect, 1000).unref();
      },
    );
  return {
    db,
    kind: 'postgres',
    url,
    async listen(channel, fn) {
      const client = await (listener ?? connectListener());
      if (!handlers.has(channel)) {
        handlers.set(channel, []);
        await client.query(`LISTEN ${quote(channel)}`);
      }
      handlers.get(channel)!.push(fn);
    },
    async close() {
      closed = true;
      (await listener?.catch(() => undefined))?.release();
      await pool.end();
    },
  };
}

async function openPglite(opts: OpenOptions): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  // pg_trgm backs the order search indexes (a migration creates it); PGlite ships it as an add-on.
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const extensions = { pg_trgm };
  let release = () => {};
  let client: InstanceType<typeof PGlite>;
  if (opts.inMemory) {
    client = new PGlite({ loadDataDir: opts.pgliteDump, extensions });
  } else {
    const dir = path.join(opts.dataDir ?? './data', 'pgdata');
    fs.mkdirSync(dir, { recursive: true });
    release = lockDataDir(path.dirname(dir));
    client = new PGlite(dir, { extensions });
  }
  await client.waitReady;
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    async listen(channel, fn) {
      await client.listen(channel, fn);
    },
    async dumpDataDir() {
      // A checkpoint first, so a restore replays little WAL. The dump runs inside a transaction
      // of its own because PGlite lets one transaction run at a time: no other is half done
      // while the files are copied (the copy itself takes the query lock).
      await client.query('CHECKPOINT');
      return client.transaction(async () => (await client.dumpDataDir('gzip')) as Blob);
    },
    async close() {
      await client.close();
      release();
    },
  };
}

/**
 * PGlite has no lock of its own: two processes on one folder silently lose writes.
 * A lock file holding our pid keeps a second process out; a stale one (dead pid) is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = path.join(dataDir, 'casanova.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(fs.readFileSync(file, 'utf8'));
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new Error(
          `The data folder ${dataDir} is in use by another Casanova process (pid ${pid}). ` +
            'The embedded database allows one process per data folder: stop the other one, ' +
            'use another DATA_DIR, or set DATABASE_URL to share a PostgreSQL database.',
        );
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not lock the data folder ${dataDir}.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Rows of a raw query, the same on both drivers. */
export async function rows<T>(conn: Conn, query: ReturnType<typeof sql>): Promise<T[]> {
  const res = (await conn.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}
