// Command line: `npm run migrate`, `npm run seed`, `npm run worker`, `npm run staff`.
import { loadConfig } from './config.ts';
import { openDatabase } from './db/client.ts';
import { migrate } from './db/migrate.ts';
import { createContext } from './context.ts';
import { seedIfEmpty } from './db/seed/seed.ts';
import { createMailer, mailDir } from './domain/notifications/mailer.ts';
import { startOutboxWorker } from './jobs/outbox-worker.ts';
import { startRefundRetrier } from './jobs/refund-retrier.ts';
import { createStaff, listStaff, resetPassword } from './domain/staff/staff-service.ts';
import { generatePassword } from './domain/staff/passwords.ts';
import { DomainError } from './domain/shared/errors.ts';

const commands: Record<string, (args: string[]) => Promise<void>> = {
  async migrate() {
    const config = loadConfig();
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    await migrate(database);
    console.log('Database is up to date.');
    await database.close();
  },
  async seed() {
    const config = loadConfig();
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    await migrate(database);
    const ctx = await createContext(config, database);
    const seeded = await seedIfEmpty(ctx);
    console.log(seeded ? 'Seeded the demo catalog.' : 'The catalog already has products: nothing seeded.');
    await database.close();
  },
  /** Delivers outbox emails and retries due refunds, until SIGTERM or SIGINT; run as many as you like on PostgreSQL. */
  async worker() {
    const config = loadConfig();
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    await migrate(database);
    const ctx = await createContext(config, database);
    const worker = startOutboxWorker(ctx, { mailer: createMailer(config) });
    const refundRetrier = startRefundRetrier(ctx);
    ctx.log.info({ mail: config.smtpUrl ? 'smtp' : mailDir(config), database: database.kind }, 'outbox worker started');
    const signal = await new Promise<string>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    });
    ctx.log.info({ signal }, 'outbox worker stopping: finishing the sends in flight');
    await Promise.all([worker.stop(), refundRetrier.stop()]);
    await database.close();
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
