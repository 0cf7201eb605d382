// A lookup that repeats an earlier success is answered from what the instance keeps
// (lookup-shortcut.ts). What must not change: a client or an order number that reached its
// limit of failures is refused, right answers included, on this instance at once and on every
// other instance sharing the database; a changed contact stops working; a new instance knows
// the limits already reached.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createContext } from '../src/context.ts';
import { openDatabase } from '../src/db/client.ts';
import { orders } from '../src/db/schema.ts';
import { readableNumber } from '../src/domain/shared/ids.ts';
import { LOOKUP_LIMITS } from '../src/domain/tracking/lookup.ts';
import { DB_KINDS, POSTGRES_SKIP_MESSAGE, postgresUrl } from './helpers/databases.ts';
import { addProducts, basicCatalog } from './helpers/fixtures.ts';
import { placeTestOrder } from './helpers/orders.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

type Injector = TestApp['app'];

const newIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
const track = (app: Injector, orderNumber: string, contact: string, ip: string) =>
  app.inject({ method: 'POST', url: '/api/v1/tracking', remoteAddress: ip, payload: { orderNumber, contact } });

/** Polls until the lookup answers `status` (notifications arrive right after the commit). */
async function eventually(app: Injector, orderNumber: string, contact: string, ip: string, status: number) {
  let got = 0;
  for (let i = 0; i < 100 && got !== status; i++) {
    if (i) await new Promise((r) => setTimeout(r, 20));
    got = (await track(app, orderNumber, contact, ip)).statusCode;
  }
  assert.equal(got, status);
}

for (const { kind, skip } of DB_KINDS) {
  describe(`repeated tracking lookups (${kind})`, { skip }, () => {
    let t: TestApp;
    before(async () => {
      t = await testApp(kind);
      await addProducts(t.ctx, basicCatalog);
    });
    after(() => t.close());

    it('refuses a client that reached its limit at once, although its right lookup succeeded before', async () => {
      const { number } = await placeTestOrder(t);
      const ip = newIp();
      for (let i = 0; i < 3; i++) assert.equal((await track(t.app, number, 'jane.doe@example.com', ip)).statusCode, 200);
      for (let i = 0; i < LOOKUP_LIMITS.perIp.limit; i++) assert.equal((await track(t.app, readableNumber('CS-'), 'jane.doe@example.com', ip)).statusCode, 404);
      const refused = await track(t.app, number, 'jane.doe@example.com', ip);
      assert.equal(refused.statusCode, 429);
      assert.ok(Number(refused.headers['retry-after']) > 0);
      assert.equal((await track(t.app, number, '(304) 555-0142', newIp())).statusCode, 200, 'other clients still find the order');
    });

    it('refuses an order number that reached its limit at once, from any address', async () => {
      const { number } = await placeTestOrder(t);
      assert.equal((await track(t.app, number, 'jane.doe@example.com', newIp())).statusCode, 200);
      for (let i = 0; i < LOOKUP_LIMITS.perOrder.limit; i++) assert.equal((await track(t.app, number, `guess${i}@example.com`, newIp())).statusCode, 404);
      assert.equal((await track(t.app, number, 'jane.doe@example.com', newIp())).statusCode, 429);
    });

    it('stops accepting a contact once the order no longer has it', async () => {
      const { number } = await placeTestOrder(t);
      const ip = newIp();
      assert.equal((await track(t.app, number, 'jane.doe@example.com', ip)).statusCode, 200);
      assert.equal((await track(t.app, number, 'jane.doe@example.com', ip)).statusCode, 200);
      await t.ctx.db.update(orders).set({ email: 'jane.new@example.com' }).where(eq(orders.number, number));
      await eventually(t.app, number, 'jane.doe@example.com', ip, 404);
      assert.equal((await track(t.app, number, 'jane.new@example.com', ip)).statusCode, 200);
    });
  });
}

describe('repeated tracking lookups across instances', { skip: postgresUrl ? false : POSTGRES_SKIP_MESSAGE }, () => {
  let a: TestApp;
  const others: { app: Injector; close(): Promise<void> }[] = [];
  /** Another instance: its own pool, context and caches, on the same database. */
  const instance = async () => {
    const database = await openDatabase({ databaseUrl: a.database.url!, poolSize: 2 });
    const ctx = await createContext(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', WORKER: 'off', PUBLIC_URL: 'http://127.0.0.1:3000' }), database, { log: pino({ level: 'silent' }) });
    const app = await buildApp(ctx);
    const made = { app, close: async () => (await app.close(), await database.close()) };
    others.push(made);
    return made;
  };
  before(async () => {
    a = await testApp('postgres');
    await addProducts(a.ctx, basicCatalog);
  });
  after(async () => {
    for (const o of others) await o.close();
    await a.close();
  });

  it('a limit reached on one instance refuses the right lookup on another, and on one started later', async () => {
    const b = await instance();
    const { number } = await placeTestOrder(a);
    const ip = newIp();
    for (let i = 0; i < 2; i++) assert.equal((await track(b.app, number, 'jane.doe@example.com', ip)).statusCode, 200);

    for (let i = 0; i < LOOKUP_LIMITS.perIp.limit; i++) assert.equal((await track(a.app, readableNumber('CS-'), 'jane.doe@example.com', ip)).statusCode, 404);
    await eventually(b.app, number, 'jane.doe@example.com', ip, 429);

    const later = await instance();
    assert.equal((await track(later.app, number, 'jane.doe@example.com', ip)).statusCode, 429, 'a new instance reads the limits already reached');
    assert.equal((await track(later.app, number, 'jane.doe@example.com', newIp())).statusCode, 200);
  });
});
