// Starts the store: read config, open and migrate the database, seed the demo catalog
// on an empty embedded database, build the app, start the worker, listen, shut down gracefully.
import { loadConfig, ConfigError } from './config.ts';
import { openDatabase } from './db/client.ts';
import { migrate } from './db/migrate.ts';
import { createContext } from './context.ts';
import { buildApp } from './app.ts';
import { seedIfEmpty } from './db/seed/seed.ts';

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
  let database;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  await migrate(database);
  const ctx = await createContext(config, database);
  if (database.kind === 'pglite') await seedIfEmpty(ctx);

  const app = await buildApp(ctx);
  await app.listen({ port: config.port, host: config.host });
  ctx.log.info({ url: config.publicUrl, database: database.kind, startupMs: Math.round(performance.now() - started) }, 'Casanova is ready');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.log.info({ signal }, 'shutting down: draining requests');
    const force = setTimeout(() => process.exit(1), 15_000).unref();
    try {
      await app.close();
      await database.close();
    } finally {
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
