// Several real store processes (node src/server.ts, each with its outbox worker and payment
// reconciler) on one PostgreSQL database, as a shop runs them behind a load balancer:
// checkouts spread across them never oversell, each confirmation email leaves once, a
// process killed in the middle of a burst loses no confirmed order and leaves no charge
// without an order, and images and staff sessions work on every instance.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { eq, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { loadConfig } from '../src/config.ts';
import { createContext, type AppContext } from '../src/context.ts';
import { rows } from '../src/db/client.ts';
import { products } from '../src/db/schema.ts';
import { POSTGRES_SKIP_MESSAGE, dropTemplates, freshDatabase, postgresUrl, type TestDatabase } from './helpers/databases.ts';
import { addProducts } from './helpers/fixtures.ts';
import { checkoutBody } from './helpers/orders.ts';
import { addStaff, type TestStaff } from './helpers/staff.ts';
import { freePort, startSmtp, type TestSmtp } from './helpers/smtp.ts';

const SCARCE = { sku: 'SCARCE-1', stock: 12 };
const PLENTY = { sku: 'PLENTY-1', stock: 500 };

type Instance = { url: string; child: ChildProcess; log: string[] };

/** Starts `node --import tsx src/server.ts` on a free port and waits until it is healthy. */
async function startInstance(env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  child.stdout!.on('data', (c: Buffer) => log.push(c.toString()));
  child.stderr!.on('data', (c: Buffer) => log.push(c.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`store exited with ${child.exitCode}:\n${log.join('')}`);
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return { url, child, log };
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`store did not become healthy:\n${log.join('')}`);
}

async function api(url: string, init: RequestInit & { json?: unknown } = {}) {
  const { json, ...rest } = init;
  const res = await fetch(url, { ...rest, headers: { ...(json !== undefined ? { 'content-type': 'application/json' } : {}), ...(rest.headers ?? {}) }, body: json !== undefined ? JSON.stringify(json) : rest.body });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, any>, headers: res.headers };
}

/** One shopper: a cart, one line, checkout. Resolves with the HTTP status and order number (or the failure). */
async function buy(base: string, sku: string): Promise<{ status: number; number?: string; error?: string }> {
  try {
    const cart = await api(`${base}/api/v1/carts`, { method: 'POST' });
    if (cart.status !== 201) return { status: cart.status };
    const add = await api(`${base}/api/v1/carts/${cart.body.id}/items`, { method: 'POST', json: { sku, quantity: 1 } });
    if (add.status !== 200) return { status: add.status, error: add.body.error?.code };
    const res = await api(`${base}/api/v1/carts/${cart.body.id}/checkout`, { method: 'POST', headers: { 'idempotency-key': randomUUID() }, json: checkoutBody() });
    return { status: res.status, number: res.body.order?.number, error: res.body.error?.code };
  } catch (err) {
    // The instance was killed under us: the shopper sees a dropped connection.
    return { status: 0, error: (err as Error).message };
  }
}

async function stockAndSold(ctx: AppContext, sku: string) {
  const [row] = await rows<{ stock: number; sold: number }>(
    ctx.db,
    sql`select v.stock, coalesce((select sum(i.quantity) from order_items i where i.sku = v.sku), 0)::int as sold from variants v where v.sku = ${sku}`,
  );
  return row!;
}

async function waitUntil(what: string, check: () => Promise<boolean>, ms = 45_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(250);
  }
}

describe('scale-out: three store processes on one PostgreSQL database', { skip: postgresUrl ? false : POSTGRES_SKIP_MESSAGE }, () => {
  let database: TestDatabase;
  let ctx: AppContext;
  let smtp: TestSmtp;
  let owner: TestStaff;
  let instances: Instance[] = [];

  before(async () => {
    database = await freshDatabase('postgres', { poolSize: 4 });
    ctx = await createContext(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: database.url! }), database, { log: pino({ level: 'silent' }) });
    await addProducts(ctx, [
      { slug: 'scarce-lamp', name: 'Scarce Lamp', variants: [{ sku: SCARCE.sku, price: 4000, stock: SCARCE.stock }] },
      { slug: 'plenty-mug', name: 'Plenty Mug', variants: [{ sku: PLENTY.sku, price: 1200, stock: PLENTY.stock }] },
    ]);
    owner = await addStaff(ctx, 'owner');
    smtp = await startSmtp();
    // A short reconciliation grace, so payments of a killed process are settled within the test,
    // yet far longer than a checkout takes on a busy CI machine (a slower one would be refused).
    const env = { DATABASE_URL: database.url!, WORKER: 'on', SMTP_URL: smtp.url, RECONCILE_AFTER_SECONDS: '10' };
    instances = await Promise.all([startInstance(env), startInstance(env), startInstance(env)]);
  });

  after(async () => {
    // A process killed by a signal has signalCode set and exitCode null.
    const running = instances.filter((i) => i.child.exitCode === null && i.child.signalCode === null);
    await Promise.all(running.map((i) => new Promise((r) => i.child.once('exit', r).kill('SIGKILL'))));
    await smtp?.close();
    await database?.drop();
    await dropTemplates();
  });

  test('concurrent checkouts spread across instances never oversell, and every confirmation email leaves exactly once', async () => {
    // Twice as many shoppers as units, all at once, round-robin over the instances.
    const results = await Promise.all(Array.from({ length: SCARCE.stock * 2 }, (_, i) => buy(instances[i % instances.length]!.url, SCARCE.sku)));
    const placed = results.filter((r) => r.status === 201);
    assert.equal(placed.length, SCARCE.stock, `exactly the stock is sold: ${JSON.stringify(results)}`);
    for (const r of results.filter((r) => r.status !== 201)) assert.equal(r.status, 409, `a refused shopper gets 409, not ${r.status} (${r.error})`);
    const { stock, sold } = await stockAndSold(ctx, SCARCE.sku);
    assert.equal(stock, 0);
    assert.equal(stock + sold, SCARCE.stock, 'stock plus sold units add up');

    const numbers = new Set(placed.map((r) => r.number!));
    // A confirmation per order, and a "your payment is coming back" email per shopper who paid for a unit sold meanwhile.
    const [released] = await rows<{ n: number }>(ctx.db, sql`select count(*)::int as n from payments where order_id is null and status in ('releasing', 'refunded', 'voided')`);
    const mails = await smtp.waitFor(numbers.size + released!.n, 30_000);
    // Give a duplicate (if any worker sent one) time to arrive before counting.
    await sleep(1500);
    const ids = mails.map((m) => m.mail.messageId);
    assert.equal(new Set(ids).size, ids.length, 'no Message-ID arrives twice');
    const confirmations = mails.filter((m) => /CS-[0-9A-Z]{4}-[0-9A-Z]{4}/.test(m.mail.subject ?? ''));
    const confirmed = confirmations.map((m) => /CS-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(m.mail.subject ?? '')![0]);
    assert.deepEqual(new Set(confirmed), numbers, 'one confirmation per order');
    assert.equal(confirmations.length, numbers.size, 'no order gets two confirmations');
    assert.equal(mails.length - confirmations.length, released!.n, 'every shopper who paid for nothing is told, once');
  });

  test('a process killed with SIGKILL mid-burst loses no confirmed order and leaves no charge without an order', async () => {
    const victim = instances[2]!;
    const before = await stockAndSold(ctx, PLENTY.sku);
    const burst = Array.from({ length: 30 }, (_, i) => buy(i % 3 === 2 ? victim.url : instances[i % 2]!.url, PLENTY.sku));
    // Kill as soon as the victim has answered one checkout: the rest of its share is in flight.
    const firstVictimAnswer = Promise.race(burst.filter((_, i) => i % 3 === 2));
    await Promise.race([firstVictimAnswer, sleep(2000)]);
    victim.child.kill('SIGKILL');
    const results = await Promise.all(burst);
    assert.ok(results.some((r) => r.status === 0 || r.status === 201), 'the burst ran');

    // Every 201 the shoppers saw is an order in the database.
    const confirmed = results.filter((r) => r.status === 201).map((r) => r.number!);
    const found = await rows<{ number: string }>(ctx.db, sql`select number from orders where number in ${confirmed.length ? sql`(${sql.join(confirmed.map((n) => sql`${n}`), sql`, `)})` : sql`(null)`}`);
    assert.equal(found.length, confirmed.length, 'no confirmed order is lost');

    // The survivors' reconcilers settle every payment the dead process left without an order: placed, released or closed.
    await waitUntil('no payment is left authorized or pending without an order', async () => {
      const [left] = await rows<{ n: number }>(ctx.db, sql`select count(*)::int as n from payments where order_id is null and status in ('pending', 'open', 'processing', 'authorized', 'captured', 'releasing')`);
      return left!.n === 0;
    });
    // And an order whose capture the kill interrupted is captured.
    await waitUntil('every order has a captured payment', async () => {
      const [left] = await rows<{ n: number }>(
        ctx.db,
        sql`select count(*)::int as n from orders o where not exists (select 1 from payments p where p.order_id = o.id and p.status = 'captured')`,
      );
      return left!.n === 0;
    });
    const after = await stockAndSold(ctx, PLENTY.sku);
    assert.equal(after.stock + after.sold, PLENTY.stock, 'stock plus sold units still add up');
    assert.ok(after.sold - before.sold >= confirmed.length);
  });

  test('an image uploaded through one instance is served by another', async () => {
    const [a, b] = instances;
    const cookie = await signInCookie(a!.url, owner);
    const [product] = await ctx.db.select({ id: products.id }).from(products).where(eq(products.slug, 'plenty-mug'));
    const page = await fetch(`${a!.url}/admin/products/${product!.id}`, { headers: { cookie } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
    assert.ok(csrf, 'the product page carries a CSRF token');
    const png = await sharp({ create: { width: 120, height: 90, channels: 3, background: '#cc5533' } }).png().toBuffer();
    const form = new FormData();
    form.append('alt', 'Mug on a shelf');
    form.append('image', new Blob([png], { type: 'image/png' }), 'mug.png');
    const upload = await fetch(`${a!.url}/admin/products/${product!.id}/images?_csrf=${encodeURIComponent(csrf)}`, { method: 'POST', headers: { cookie, origin: a!.url }, body: form, redirect: 'manual' });
    assert.ok([200, 303].includes(upload.status), `upload answered ${upload.status}`);
    const [img] = await rows<{ image_key: string }>(ctx.db, sql`select image_key from product_images where product_id = ${product!.id} and alt = 'Mug on a shelf'`);
    assert.ok(img, 'the picture was stored');
    const served = await fetch(`${b!.url}/images/${img.image_key}/large.webp`);
    assert.equal(served.status, 200);
    assert.equal(served.headers.get('content-type'), 'image/webp');
    const bytes = Buffer.from(await served.arrayBuffer());
    assert.equal((await sharp(bytes).metadata()).width, 120);
  });

  test('a staff session signed in on one instance works on another', async () => {
    const [a, b] = instances;
    const cookie = await signInCookie(a!.url, owner);
    const res = await fetch(`${b!.url}/admin`, { headers: { cookie }, redirect: 'manual' });
    assert.equal(res.status, 200, 'the dashboard opens on the other instance');
    const out = await fetch(`${b!.url}/admin`, { redirect: 'manual' });
    assert.equal(out.status, 303, 'without the cookie it sends to sign-in');
  });
});

async function signInCookie(base: string, who: TestStaff): Promise<string> {
  const res = await fetch(`${base}/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
    body: new URLSearchParams({ email: who.email, password: who.password, next: '/admin' }),
    redirect: 'manual',
  });
  assert.equal(res.status, 303, 'signed in');
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('staff_session='));
  assert.ok(cookie);
  return cookie.split(';')[0]!;
}
