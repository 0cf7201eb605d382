// `npm run restore -- FILE`: puts a backup into an empty database — the PostgreSQL database of
// DATABASE_URL, or the embedded one in DATA_DIR — and refuses, changing nothing, when that
// database already holds tables: a restore never mixes two stores. Migrations run afterwards,
// so a backup from an older version comes up to date. The pictures file beside a backup of a
// store with a bucket is put into the restored store's own picture store.
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import { lockDataDir, openDatabase, type Database } from '../../db/client.ts';
import { migrate } from '../../db/migrate.ts';
import { backups } from '../../db/schema.ts';
import { DomainError } from '../shared/errors.ts';
import { detectFormat } from './backup-files.ts';
import { pgRestore } from './pg-tools.ts';
import { picturesFileName, restorePictures } from './backup-pictures.ts';
import { configuredBlobStore } from '../../context.ts';

const USER_TABLES = `select count(*)::int as n from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')`;

const notEmpty = (where: string, n: number) =>
  new DomainError(
    'conflict',
    `Refused: ${where} is not empty (${n} table${n === 1 ? '' : 's'}). A backup is restored only into an empty database, so nothing was changed. ` +
      'Restore into a new database (createdb, then DATABASE_URL) or an empty DATA_DIR.',
  );

export type RestoreReport = { format: 'postgres' | 'pglite'; target: string; pictures: number };

export async function restoreBackup(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'storage'>, file: string): Promise<RestoreReport> {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new DomainError('not_found', `No backup file at ${file}.`);
  const format = detectFormat(file);
  if (!format) throw new DomainError('bad_request', `${file} is not a Casanova backup (neither a pg_dump custom file nor a PGlite data-folder dump).`);
  const target = config.databaseUrl ? 'postgres' : 'pglite';
  if (format !== target) {
    throw new DomainError(
      'bad_request',
      format === 'postgres'
        ? `${path.basename(file)} is a PostgreSQL backup: set DATABASE_URL to an empty PostgreSQL database to restore it.`
        : `${path.basename(file)} is a backup of the embedded database: unset DATABASE_URL and choose an empty DATA_DIR to restore it.`,
    );
  }
  if (config.databaseUrl) await restorePostgres(config.databaseUrl, file);
  else await restorePglite(config.dataDir, file);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  let pictures = 0;
  try {
    await migrate(database);
    await settleRunsInFile(database);
    const picturesFile = picturesFileName(file);
    if (fs.existsSync(picturesFile)) pictures = await restorePictures(await configuredBlobStore(config, database.db), database.db, picturesFile);
  } finally {
    await database.close();
  }
  return { format, target: config.databaseUrl ? redact(config.databaseUrl) : path.join(config.dataDir, 'pgdata'), pictures };
}

async function restorePostgres(url: string, file: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const n = (await client.query<{ n: number }>(USER_TABLES)).rows[0]!.n;
    if (n > 0) throw notEmpty(`the database ${redact(url)}`, n);
  } finally {
    await client.end();
  }
  await pgRestore(url, file);
}

async function restorePglite(dataDir: string, file: string): Promise<void> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const dir = path.join(dataDir, 'pgdata');
  fs.mkdirSync(dataDir, { recursive: true });
  // The store must not be running on this folder while it is replaced.
  const release = lockDataDir(dataDir);
  try {
    if (fs.existsSync(path.join(dir, 'PG_VERSION'))) {
      const existing = new PGlite(dir, { extensions: { pg_trgm } });
      try {
        const n = (await existing.query<{ n: number }>(USER_TABLES)).rows[0]!.n;
        if (n > 0) throw notEmpty(`the embedded database in ${dir}`, n);
      } finally {
        await existing.close();
      }
    }
    // An empty folder, or one with a database but no tables: replaced by the backup's.
    fs.rmSync(dir, { recursive: true, force: true });
    const restored = new PGlite(dir, { loadDataDir: new Blob([fs.readFileSync(file)]), extensions: { pg_trgm } });
    await restored.waitReady;
    await restored.close();
  } finally {
    release();
  }
}

/** The backup's own run (and any other in progress then) was still "running" in the snapshot. */
async function settleRunsInFile(database: Database): Promise<void> {
  await database.db
    .update(backups)
    .set({ status: 'failed', error: 'Was in progress when the restored backup was taken.', finishedAt: new Date() })
    .where(eq(backups.status, 'running'));
}

const redact = (url: string) => {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
};
