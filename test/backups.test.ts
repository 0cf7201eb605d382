// Backups: a backup taken in the middle of a burst of checkouts, the store wiped, and the
// backup restored: every order the backup's snapshot had is back, whole (items, events,
// totals), its tracking view opens, and the pictures are served byte for byte. A restore
// into a database that is not empty is refused and changes nothing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/config.ts';
import { createContext, type AppContext } from '../src/context.ts';
import { buildApp } from '../src/app.ts';
import { openDatabase, rows, type Database } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { takeBackup, recentBackups } from '../src/domain/backups/take-backup.ts';
import { restoreBackup } from '../src/domain/backups/restore-backup.ts';
import { DomainError } from '../src/domain/shared/errors.ts';
import { addProducts } from './helpers/fixtures.ts';
import { placeTestOrder } from './helpers/orders.ts';
import { POSTGRES_SKIP_MESSAGE, postgresUrl } from './helpers/databases.ts';
import type { TestApp } from './helpers/test-app.ts';

type Store = Pick<TestApp, 'app' | 'ctx'> & { close(): Promise<void> };

/** The real app on `database`, with DATA_DIR / BACKUP_DIR of this test. */
async function storeOn(database: Database, env: Record<string, string>): Promise<Store> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', WORKER: 'off', PUBLIC_URL: 'http://127.0.0.1:3000', ...env });
  const ctx: AppContext = await createContext(config, database, { log: pino({ level: 'silent' }) });
  const app = await buildApp(ctx);
  await app.ready();
  return { app, ctx, close: async () => void (await app.close(), await database.close()) };
}

/** What must come back for each order: its row, items and timeline. */
async function orderSnapshot(ctx: AppContext, numbers?: string[]) {
  const list = await rows<{ number: string; status: string; total: number; items: number; events: number }>(
    ctx.db,
    sql`select o.number, o.status, o.total,
          (select count(*)::int from order_items i where i.order_id = o.id) as items,
          (select count(*)::int from order_events e where e.order_id = o.id) as events
        from orders o order by o.number`,
  );
  return numbers ? list.filter((o) => numbers.includes(o.number)) : list;
}

const catalog = [
  { slug: 'burst-mug', name: 'Burst Mug', category: 'kitchen', variants: [{ sku: 'BURST-1', price: 1500, stock: 1000 }] },
  { slug: 'burst-lamp', name: 'Burst Lamp', category: 'lighting', variants: [{ sku: 'BURST-2', price: 4200, stock: 1000 }] },
];

/**
 * Fills the store, then starts `total` checkouts at once and takes a backup once `before`
 * have finished. Returns the orders known committed before the backup began and the file.
 */
async function backupMidBurst(s: Store, total = 24, before = 8) {
  await addProducts(s.ctx, catalog);
  const placed: { number: string; trackingUrl: string }[] = [];
  let backup: Promise<{ file: string; committedBefore: string[] }> | undefined;
  const checkouts = Array.from({ length: total }, (_, i) =>
    placeTestOrder(s as TestApp, [{ sku: i % 2 ? 'BURST-1' : 'BURST-2', quantity: 1 + (i % 3) }], { body: { email: `buyer${i}@example.com` } }).then((o) => {
      placed.push({ number: o.number, trackingUrl: o.trackingUrl });
      if (placed.length === before) {
        const committedBefore = placed.map((p) => p.number);
        backup = takeBackup(s.ctx, 'test').then((row) => ({ file: path.join(s.ctx.config.backupDir, row.fileName!), committedBefore }));
      }
    }),
  );
  await Promise.all(checkouts);
  const { file, committedBefore } = await backup!;
  const images = await rows<{ key: string; bytes: Buffer }>(s.ctx.db, sql`select key, bytes from blobs order by key`);
  return { file, committedBefore, placed, images };
}

/** The restored store has each order the backup held, equal to the original, and serves its pictures and tracking. */
async function assertRestored(restored: Store, original: Awaited<ReturnType<typeof orderSnapshot>>, burst: Awaited<ReturnType<typeof backupMidBurst>>) {
  const back = await orderSnapshot(restored.ctx);
  const numbers = back.map((o) => o.number);
  for (const n of burst.committedBefore) assert.ok(numbers.includes(n), `order ${n}, committed before the backup began, is in the restore`);
  // Orders the snapshot caught mid-burst are there whole or not at all: identical to the original.
  assert.deepEqual(back, original.filter((o) => numbers.includes(o.number)));
  assert.ok(back.every((o) => o.items > 0 && o.events > 0));
  for (const p of burst.placed.filter((o) => numbers.includes(o.number)).slice(0, 3)) {
    const url = new URL(p.trackingUrl);
    const page = await restored.app.inject({ method: 'GET', url: url.pathname + url.search });
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes(p.number), 'the tracking view names the order');
  }
  assert.ok(burst.images.length > 0);
  for (const img of burst.images) {
    const res = await restored.app.inject({ method: 'GET', url: `/images/${img.key}` });
    assert.equal(res.statusCode, 200, `picture ${img.key} is served after the restore`);
    assert.ok(res.rawPayload.equals(Buffer.from(img.bytes)), 'byte for byte');
  }
}

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'casanova-backup-'));

async function adminQuery(text: string) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

const withDb = (name: string) => {
  const u = new URL(postgresUrl!);
  u.pathname = `/${name}`;
  return u.toString();
};

const refusedAsNotEmpty = (err: unknown) => err instanceof DomainError && err.code === 'conflict' && /not empty/.test(err.message);

describe('backups on PostgreSQL', { skip: postgresUrl ? false : POSTGRES_SKIP_MESSAGE }, () => {
  it('a backup taken mid-burst of checkouts restores into an empty database with every order, tracking view and picture', async () => {
    const dir = tempDir();
    const source = `casanova_backup_src_${randomBytes(4).toString('hex')}`;
    const target = `casanova_backup_dst_${randomBytes(4).toString('hex')}`;
    await adminQuery(`CREATE DATABASE ${source}`);
    await adminQuery(`CREATE DATABASE ${target}`);
    try {
      const database = await openDatabase({ databaseUrl: withDb(source) });
      await migrate(database);
      const s = await storeOn(database, { DATA_DIR: dir, DATABASE_URL: withDb(source) });
      const burst = await backupMidBurst(s);
      assert.match(path.basename(burst.file), /^casanova-postgres-\d{8}-\d{6}-[0-9a-f]{4}\.pgdump$/);
      const [row] = await recentBackups(s.ctx);
      assert.equal(row!.status, 'done');
      assert.equal(row!.sizeBytes, fs.statSync(burst.file).size);
      const original = await orderSnapshot(s.ctx);
      assert.equal(original.length, 24);
      await s.close();
      // "Wipe": the store is gone; only the backup file is left.
      await adminQuery(`DROP DATABASE ${source} WITH (FORCE)`);

      await restoreBackup({ databaseUrl: withDb(target), dataDir: dir }, burst.file);
      const restored = await storeOn(await openDatabase({ databaseUrl: withDb(target) }), { DATA_DIR: dir, DATABASE_URL: withDb(target) });
      try {
        await assertRestored(restored, original, burst);
        // The restored store itself says what it holds; the claim row of the backup is no longer "running".
        assert.ok((await recentBackups(restored.ctx)).every((b) => b.status !== 'running'));
      } finally {
        await restored.close();
      }
      // Restoring again into the now filled database is refused.
      await assert.rejects(restoreBackup({ databaseUrl: withDb(target), dataDir: dir }, burst.file), refusedAsNotEmpty);
    } finally {
      await adminQuery(`DROP DATABASE IF EXISTS ${source} WITH (FORCE)`);
      await adminQuery(`DROP DATABASE IF EXISTS ${target} WITH (FORCE)`);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('backups on the embedded database (PGlite)', () => {
  it('a backup taken mid-burst of checkouts restores into a wiped data folder with every order, tracking view and picture', async () => {
    const dir = tempDir();
    try {
      const database = await openDatabase({ dataDir: dir });
      await migrate(database);
      const s = await storeOn(database, { DATA_DIR: dir });
      const burst = await backupMidBurst(s);
      assert.match(path.basename(burst.file), /^casanova-pglite-\d{8}-\d{6}-[0-9a-f]{4}\.tar\.gz$/);
      assert.ok(burst.file.startsWith(path.join(dir, 'backups')), 'BACKUP_DIR defaults to DATA_DIR/backups');
      const original = await orderSnapshot(s.ctx);
      await s.close();

      // A restore over the live data folder is refused, and the store is left as it was.
      await assert.rejects(restoreBackup({ dataDir: dir }, burst.file), refusedAsNotEmpty);
      fs.rmSync(path.join(dir, 'pgdata'), { recursive: true, force: true });

      await restoreBackup({ dataDir: dir }, burst.file);
      const restored = await storeOn(await openDatabase({ dataDir: dir }), { DATA_DIR: dir });
      try {
        await assertRestored(restored, original, burst);
      } finally {
        await restored.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a PostgreSQL backup is not restored into the embedded database, and a file that is no backup is refused', async () => {
    const dir = tempDir();
    try {
      const fake = path.join(dir, 'casanova-postgres-20261206-030000-abcd.pgdump');
      fs.writeFileSync(fake, 'PGDMP and then nothing');
      await assert.rejects(restoreBackup({ dataDir: dir }, fake), /is a PostgreSQL backup: set DATABASE_URL/);
      const junk = path.join(dir, 'notes.txt');
      fs.writeFileSync(junk, 'hello');
      await assert.rejects(restoreBackup({ dataDir: dir }, junk), /is not a Casanova backup/);
      await assert.rejects(restoreBackup({ dataDir: dir }, path.join(dir, 'missing.tar.gz')), /No backup file/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
