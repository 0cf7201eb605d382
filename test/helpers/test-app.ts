// Builds the real app on a fresh database for one test: `const t = await testApp('pglite')`,
// then `t.app.inject(...)`, and `await t.close()` at the end.
import { after } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.ts';
import { createContext, type AppContext, type ContextOverrides } from '../../src/context.ts';
import { buildApp } from '../../src/app.ts';
import { fixedClock } from '../../src/domain/shared/clock.ts';
import { updateSettings } from '../../src/domain/settings/settings-service.ts';
import type { StoreSettings } from '../../src/domain/settings/store-settings.ts';
import { dropTemplates, freshDatabase, type DbKind, type TestDatabase } from './databases.ts';

export type TestApp = { app: FastifyInstance; ctx: AppContext; database: TestDatabase; close(): Promise<void> };

let registeredCleanup = false;

export async function testApp(
  kind: DbKind,
  opts: { env?: Record<string, string>; overrides?: ContextOverrides; poolSize?: number } = {},
): Promise<TestApp> {
  if (!registeredCleanup) {
    registeredCleanup = true;
    after(() => dropTemplates());
  }
  const database = await freshDatabase(kind, { poolSize: opts.poolSize });
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: '.test-data', LOG_LEVEL: 'silent', WORKER: 'off', PUBLIC_URL: 'http://127.0.0.1:3000', ...opts.env });
  const ctx = await createContext(config, database, { log: pino({ level: process.env.TEST_LOG ?? 'silent' }), ...opts.overrides });
  const app = await buildApp(ctx);
  await app.ready();
  return {
    app,
    ctx,
    database,
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

/** JSON with object keys sorted: PostgreSQL's jsonb does not keep the order keys were written in. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));

/** Saves new store settings and waits until this app has reloaded them (settings change through NOTIFY). */
export async function changeSettings(t: TestApp, change: (s: StoreSettings) => StoreSettings): Promise<void> {
  const next = canonical(change(t.ctx.settings()));
  await updateSettings(t.ctx.db, JSON.parse(next) as StoreSettings);
  for (let i = 0; i < 200 && canonical(t.ctx.settings()) !== next; i++) await new Promise((r) => setTimeout(r, 10));
  if (canonical(t.ctx.settings()) !== next) throw new Error('The new settings did not reach the app');
}

export { fixedClock };
