// Caches stay right when the notification connection is lost: the store reconnects and
// drops its caches, since notifications sent meanwhile were missed. PostgreSQL only.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { eq } from 'drizzle-orm';
import { postgresUrl, POSTGRES_SKIP_MESSAGE } from './helpers/databases.ts';
import { testApp } from './helpers/test-app.ts';
import { addProducts, basicCatalog } from './helpers/fixtures.ts';
import { variants } from '../src/db/schema.ts';

describe('notification connection lost', { skip: postgresUrl ? false : POSTGRES_SKIP_MESSAGE }, () => {
  it('reconnects and drops cached pages instead of crashing or serving stale stock', async () => {
    const t = await testApp('postgres');
    try {
      await addProducts(t.ctx, basicCatalog);
      assert.match((await t.app.inject('/products/test-mug')).body, /In stock/);
      // Kill the store's LISTEN connection, then change stock without announcing it:
      // the notification is missed, so only the reconnect can make the page right.
      const admin = new pg.Client({ connectionString: t.database.url });
      await admin.connect();
      await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and query ilike 'LISTEN%'`);
      await t.ctx.db.update(variants).set({ stock: 0 }).where(eq(variants.sku, 'MUG-1'));
      await admin.end();
      let body = '';
      for (let i = 0; i < 60 && !/Out of stock/.test(body); i++) {
        await new Promise((r) => setTimeout(r, 100));
        body = (await t.app.inject('/products/test-mug')).body;
      }
      assert.match(body, /Out of stock/);
      assert.equal((await t.app.inject('/healthz')).statusCode, 200);
    } finally {
      await t.close();
    }
  });
});
