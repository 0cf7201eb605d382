// Fresh databases for tests: an in-memory PGlite copied from a migrated template, or a
// new PostgreSQL database cloned from a migrated template database (TEST_DATABASE_URL).
import { PGlite } from '@electric-sql/pglite';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';

export type DbKind = 'pglite' | 'postgres';

export const postgresUrl = process.env.TEST_DATABASE_URL;

export const POSTGRES_SKIP_MESSAGE =
  'PostgreSQL tests skipped: set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run them';

/** The databases to run scenario tests on: always PGlite, PostgreSQL when configured. */
export const DB_KINDS: { kind: DbKind; skip: string | false }[] = [
  { kind: 'pglite', skip: false },
  { kind: 'postgres', skip: postgresUrl ? false : POSTGRES_SKIP_MESSAGE },
];

let pgliteTemplate: Promise<Blob> | undefined;

const migrationsDir = fileURLToPath(new URL('../../src/db/migrations/', import.meta.url));

/** A migrated PGlite data dir, cached on disk by migration content (initdb takes seconds; loading a copy is fast). */
async function pgliteDump(): Promise<Blob> {
  pgliteTemplate ??= (async () => {
    const hash = createHash('sha256');
    for (const f of readdirSync(migrationsDir, { recursive: true }).map(String).sort()) {
      if (f.endsWith('.sql')) hash.update(f).update(readFileSync(path.join(migrationsDir, f)));
    }
    const cacheFile = path.resolve('.test-data', `pglite-template-${hash.digest('hex').slice(0, 16)}.tar`);
    if (existsSync(cacheFile)) return new Blob([readFileSync(cacheFile)]);
    const db = await openDatabase({ inMemory: true });
    await migrate(db);
    const client = (db.db as unknown as { $client: PGlite }).$client;
    const dump = (await client.dumpDataDir('none')) as Blob;
    await db.close();
    mkdirSync(path.dirname(cacheFile), { recursive: true });
    // Write then rename: parallel test processes never read a half-written file.
    const tmp = `${cacheFile}.${process.pid}`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    renameSync(tmp, cacheFile);
    return dump;
  })();
  return pgliteTemplate;
}

let pgTemplate: Promise<string> | undefined;

const withDb = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

async function adminQuery(sql: string) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** One migrated template database per test process; each test clones it (fast). */
async function postgresTemplate(): Promise<string> {
  pgTemplate ??= (async () => {
    const name = `casanova_tmpl_${process.pid}_${randomBytes(3).toString('hex')}`;
    await adminQuery(`CREATE DATABASE ${name}`);
    const db = await openDatabase({ databaseUrl: withDb(postgresUrl!, name), poolSize: 2 });
    await migrate(db);
    await db.close();
    return name;
  })();
  return pgTemplate;
}

export type TestDatabase = Database & { drop(): Promise<void>; url?: string };

export async function freshDatabase(kind: DbKind, opts: { poolSize?: number } = {}): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const db = await openDatabase({ inMemory: true, pgliteDump: await pgliteDump() });
    return Object.assign(db, { drop: () => db.close() });
  }
  if (!postgresUrl) throw new Error(POSTGRES_SKIP_MESSAGE);
  const template = await postgresTemplate();
  const name = `casanova_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  const url = withDb(postgresUrl, name);
  const db = await openDatabase({ databaseUrl: url, poolSize: opts.poolSize ?? 10 });
  return Object.assign(db, {
    url,
    async drop() {
      await db.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  });
}

/** Drops the per-process template database when the test file ends. */
export async function dropTemplates() {
  if (pgTemplate) {
    const name = await pgTemplate;
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
  }
}
