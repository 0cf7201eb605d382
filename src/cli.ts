// Command line: `npm run migrate`, `npm run seed`, `npm run worker`.
import { loadConfig } from './config.ts';
import { openDatabase } from './db/client.ts';
import { migrate } from './db/migrate.ts';
import { createContext } from './context.ts';
import { seedIfEmpty } from './db/seed/seed.ts';

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
