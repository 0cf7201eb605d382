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
    import('./jobs/background-jobs.ts'),
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
    { startBackgroundJobs },
  ] = await modules;
  await migrate(database);
  const ctx = await createContext(config, database);
  // The first start creates the owner (ADMIN_EMAIL / ADMIN_PASSWORD, or a demo owner whose password is logged once).
  await ensureOwner(ctx);
  if (database.kind === 'pglite') await seedIfEmpty(ctx);

  const app = await buildApp(ctx);
  await app.listen({ port: config.port, host: config.host });
  ctx.log.info({ url: config.publicUrl, database: database.kind, startupMs: Math.round(performance.now() - started) }, 'Casanova is ready');
  // Emails go out from here unless WORKER=off (then `npm run worker` runs the jobs).
  const jobs = config.runWorker ? startBackgroundJobs(ctx) : undefined;

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
      await Promise.all([app.close(), jobs?.stop()]);
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
