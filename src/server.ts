// Starts the store: read config, open and migrate the database, seed the demo catalog
// on an empty embedded database, build the app, start the worker, listen, shut down gracefully.
import { loadConfig, ConfigError } from './config.ts';
import { openDatabase } from './db/client.ts';

// Everything else loads while the database opens (PGlite compiles its WebAssembly meanwhile):
// the two together are most of the start-up time.
const loadStore = () =>
  Promise.all([
    import('./db/migrate.ts'),
    import('./context.ts'),
    import('./app.ts'),
    import('./db/seed/seed.ts'),
    import('./domain/staff/staff-service.ts'),
    import('./domain/notifications/mailer.ts'),
    import('./jobs/outbox-worker.ts'),
    import('./jobs/refund-retrier.ts'),
    import('./jobs/payment-reconciler.ts'),
  ]);

async function main() {
  const started = performance.now();
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const modules = loadStore();
  let database;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  const [
    { migrate },
    { createContext },
    { buildApp },
    { seedIfEmpty },
    { ensureOwner },
    { createMailer, mailDir },
    { startOutboxWorker },
    { startRefundRetrier },
    { startPaymentReconciler },
  ] = await modules;
  await migrate(database);
  const ctx = await createContext(config, database);
  // The first start creates the owner (ADMIN_EMAIL / ADMIN_PASSWORD, or a demo owner whose password is logged once).
  await ensureOwner(ctx);
  if (database.kind === 'pglite') await seedIfEmpty(ctx);

  const app = await buildApp(ctx);
  await app.listen({ port: config.port, host: config.host });
  ctx.log.info({ url: config.publicUrl, database: database.kind, startupMs: Math.round(performance.now() - started) }, 'Casanova is ready');
  // Emails go out from here unless WORKER=off (then `npm run worker` delivers them).
  const worker = config.runWorker ? startOutboxWorker(ctx, { mailer: createMailer(config) }) : undefined;
  if (worker) ctx.log.info({ mail: config.smtpUrl ? 'smtp' : mailDir(config) }, 'outbox worker started');
  // Refunds the payment provider could not process yet are retried beside the emails.
  const refundRetrier = config.runWorker ? startRefundRetrier(ctx) : undefined;
  // Payments a crash left without an order are voided; orders whose capture never ran are captured.
  const reconciler = config.runWorker ? startPaymentReconciler(ctx) : undefined;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.log.info({ signal }, 'shutting down: draining requests');
    const force = setTimeout(() => process.exit(1), 15_000).unref();
    // A kept-alive connection (a browser, a proxy's pool) that was busy when the signal came
    // would hold the close open until it times out: close each one once it has answered.
    const closeIdle = setInterval(() => app.server.closeIdleConnections(), 100);
    try {
      // Sends in flight finish and are recorded before the database closes.
      await Promise.all([app.close(), worker?.stop(), refundRetrier?.stop(), reconciler?.stop()]);
      await database.close();
    } finally {
      clearInterval(closeIdle);
      clearTimeout(force);
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
