// Command line: `npm run migrate`, `npm run seed`, `npm run worker`, `npm run staff`,
// `npm run backup`, `npm run restore -- FILE`, `npm run storage:migrate`.
import { loadConfig } from './config.ts';
import { openDatabase } from './db/client.ts';
import { migrate } from './db/migrate.ts';
import { createContext } from './context.ts';
import { seedIfEmpty } from './db/seed/seed.ts';
import { progressBar, seedOrders } from './db/seed/order-seed.ts';
import { startBackgroundJobs } from './jobs/background-jobs.ts';
import { createStaff, listStaff, resetPassword } from './domain/staff/staff-service.ts';
import { generatePassword } from './domain/staff/passwords.ts';
import { DomainError } from './domain/shared/errors.ts';
import { takeBackup } from './domain/backups/take-backup.ts';
import { restoreBackup } from './domain/backups/restore-backup.ts';
import { picturesFileName } from './domain/backups/backup-pictures.ts';
import { moveBlobsToBucket } from './domain/storage/storage-migrate.ts';

const commands: Record<string, (args: string[]) => Promise<void>> = {
  async migrate() {
    const config = loadConfig();
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    await migrate(database);
    console.log('Database is up to date.');
    await database.close();
  },
  /** `npm run seed` adds the demo catalog; `npm run seed -- --orders N` also adds N generated orders (PostgreSQL only). */
  async seed(args) {
    const ordersArg = args.indexOf('--orders');
    const orderCount = ordersArg >= 0 ? Number(args[ordersArg + 1]) : 0;
    if (ordersArg >= 0 && !(Number.isInteger(orderCount) && orderCount > 0)) throw new Error('Usage: npm run seed -- --orders <N>, with N a whole number above 0 (e.g. 1000000).');
    const config = loadConfig();
    if (orderCount && !config.databaseUrl) {
      throw new Error('--orders fills a PostgreSQL database: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/casanova). The embedded database runs one query at a time and is not meant for a million orders.');
    }
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      await migrate(database);
      const ctx = await createContext(config, database);
      const seeded = await seedIfEmpty(ctx);
      console.log(seeded ? 'Seeded the demo catalog.' : 'The catalog already has products: nothing seeded.');
      if (orderCount) {
        const { default: pg } = await import('pg');
        const client = new pg.Client({ connectionString: config.databaseUrl });
        await client.connect();
        const started = performance.now();
        try {
          const batchSize = Math.min(20_000, orderCount);
          const { inserted } = await seedOrders(client, { orders: orderCount, prefix: ctx.settings().orderNumberPrefix, batchSize, onBatch: progressBar('orders', batchSize) });
          console.log(`Added ${inserted.toLocaleString('en-US')} orders in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
        } finally {
          await client.end();
        }
      }
    } finally {
      await database.close();
    }
  },
  /** Delivers outbox emails, retries due refunds and settles interrupted checkout payments, until SIGTERM or SIGINT; run as many as you like on PostgreSQL. */
  async worker() {
    const config = loadConfig();
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    await migrate(database);
    const ctx = await createContext(config, database);
    const jobs = startBackgroundJobs(ctx);
    const signal = await new Promise<string>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    });
    ctx.log.info({ signal }, 'outbox worker stopping: finishing the sends in flight');
    await jobs.stop();
    await database.close();
  },
  /** Writes one backup to BACKUP_DIR (default DATA_DIR/backups) and prints its path and size. */
  async backup() {
    const config = loadConfig();
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }).catch((err) => {
      // The embedded database allows one process: while the store runs, it takes the backup itself.
      throw new Error(`${err instanceof Error ? err.message : err}\nWhile the store is running, use "Back up now" on /admin/backups (or the daily schedule) instead.`);
    });
    try {
      await migrate(database);
      const ctx = await createContext(config, database);
      const done = await takeBackup(ctx, 'cli');
      const pictures = config.storage ? ` and its pictures, ${picturesFileName(done.fileName!)}` : '';
      console.log(`Backup written: ${config.backupDir}/${done.fileName}${pictures} (${done.sizeBytes} bytes).`);
    } finally {
      await database.close();
    }
  },
  /** `npm run restore -- FILE`: into an empty database only (DATABASE_URL, or DATA_DIR for the embedded one). */
  async restore([file]) {
    if (!file) throw new Error('Usage: npm run restore -- <backup file>');
    const report = await restoreBackup(loadConfig(), file);
    console.log(`Restored ${file} into ${report.target}${report.pictures ? `, with ${report.pictures} stored files from its pictures file` : ''}.`);
  },
  /** Moves pictures from the database into the bucket of STORAGE_URL; safe to stop and run again. */
  async 'storage:migrate'() {
    const config = loadConfig();
    if (!config.storage) throw new Error('Set STORAGE_URL to the bucket first (e.g. s3://casanova-pictures?region=eu-west-1); pictures are kept in the database until then.');
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      await migrate(database);
      const { s3BlobStore } = await import('./domain/storage/s3-blob-store.ts');
      const report = await moveBlobsToBucket(database.db, s3BlobStore(config.storage), {
        onBatch: (r) => console.log(`… ${r.moved} moved, ${r.alreadyThere} already in the bucket`),
      });
      const where = `s3://${config.storage.bucket}/${config.storage.prefix}`;
      console.log(`Moved ${report.moved} stored files to ${where} (${report.alreadyThere} were already there); none are left in the database.`);
    } finally {
      await database.close();
    }
  },
  /**
   * Staff accounts from the shell, e.g. when the only owner is locked out:
   * `npm run staff -- list`, `npm run staff -- add <email> <owner|support|warehouse> <name…>`,
   * `npm run staff -- reset-password <email>`. New passwords are generated and printed once.
   */
  async staff([action, email, ...rest]) {
    const usage = 'Usage: npm run staff -- list | add <email> <owner|support|warehouse> <name…> | reset-password <email>';
    if (!action || !['list', 'add', 'reset-password'].includes(action) || (action !== 'list' && !email)) throw new Error(usage);
    const config = loadConfig();
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      await migrate(database);
      const ctx = await createContext(config, database);
      if (action === 'list') {
        for (const m of await listStaff(ctx.db)) console.log(`${m.email}\t${m.role}\t${m.active ? 'active' : 'deactivated'}\t${m.name}`);
      } else if (action === 'add') {
        const [role, ...name] = rest;
        const password = generatePassword();
        const member = await createStaff(ctx.db, { email: email!, role: role ?? '', name: name.join(' ') || email!, password }).catch((err) => {
          const fields = err instanceof DomainError ? (err.details as { fields?: Record<string, string> } | undefined)?.fields : undefined;
          throw fields ? new Error(Object.entries(fields).map(([f, m]) => `${f}: ${m}`).join('\n')) : err;
        });
        console.log(`Added ${member.email} (${member.role}). One-time password: ${password}`);
      } else {
        const { member, password } = await resetPassword(ctx, { email: email! });
        console.log(`New password for ${member.email}: ${password} (their sessions were ended and any lockout cleared)`);
      }
    } finally {
      await database.close();
    }
  },
};

const [name, ...args] = process.argv.slice(2);
const command = name ? commands[name] : undefined;
if (!command) {
  console.error(`Usage: node --import tsx src/cli.ts <${Object.keys(commands).join('|')}>`);
  process.exit(2);
}
command(args)
  .then(() => process.exit(0))
  .catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
