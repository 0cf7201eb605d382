// Scenario tests: emails leave through the outbox and arrive once, at a real SMTP server on
// 127.0.0.1, even when the mail server is down for a while, the worker restarts, several
// workers share one database, or a worker dies holding rows.
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import { pino } from 'pino';
import { DB_KINDS } from './helpers/databases.ts';
import { addProducts, basicCatalog } from './helpers/fixtures.ts';
import { placeTestOrder } from './helpers/orders.ts';
import { fixedClock, testApp } from './helpers/test-app.ts';
import { freePort, smtpUrl, startSmtp, type TestSmtp } from './helpers/smtp.ts';
import { createContext, type AppContext } from '../src/context.ts';
import { openDatabase } from '../src/db/client.ts';
import { orders, outbox } from '../src/db/schema.ts';
import { enqueueEmail } from '../src/domain/notifications/outbox.ts';
import { fileMailer, listMailFiles, readMailFile, smtpMailer } from '../src/domain/notifications/mailer.ts';
import { failedDeliveries, notificationLog, retryDelivery } from '../src/domain/notifications/notification-log.ts';
import type { OrderConfirmationPayload } from '../src/domain/notifications/email-payloads.ts';
import { DomainError } from '../src/domain/shared/errors.ts';
import { claimOutboxRows, startOutboxWorker, type OutboxWorker, type OutboxWorkerOptions } from '../src/jobs/outbox-worker.ts';

/** A confirmation as checkout builds it, for order `number`. */
function confirmationPayload(number = 'CS-7K3M-9QX2'): OrderConfirmationPayload {
  return {
    order: {
      number,
      createdAt: '2026-03-05T19:14:00Z',
      currency: 'USD',
      items: [
        { name: 'Oak & Linen Table Lamp', sku: 'LAMP-1', options: { Colour: 'Natural', Shade: 'Linen' }, quantity: 2, unitPrice: 4_900, lineTotal: 9_800 },
        { name: 'Stoneware Mug', sku: 'MUG-1', options: {}, quantity: 1, unitPrice: 1_400, lineTotal: 1_400 },
      ],
      subtotal: 11_200,
      shipping: 0,
      tax: 672,
      total: 11_872,
      shippingMethodLabel: 'Standard',
      shippingAddress: { name: 'Jane Porter', line1: '12 Elm Street', line2: 'Apt 4B', city: 'Parkersburg', state: 'WV', postalCode: '26101', country: 'US' },
      email: 'jane@example.com',
      phone: '+1 304 555 0134',
    },
    payment: { brand: 'visa', last4: '4242', amount: 11_872, transactionId: 'sbx_ch_5f2a9c1e', createdAt: '2026-03-05T19:14:05Z' },
    trackingUrl: `http://127.0.0.1:3000/track/${number}?t=signed.token`,
  };
}

async function enqueueConfirmations(ctx: AppContext, numbers: string[], to = 'jane@example.com') {
  const orderId = randomUUID();
  const ids: number[] = [];
  await ctx.db.transaction(async (tx) => {
    for (const n of numbers) ids.push(await enqueueEmail(tx, { template: 'order_confirmation', to, payload: confirmationPayload(n), orderId }));
  });
  return { orderId, ids };
}

const rowsOf = (ctx: AppContext, ids: number[]) => ctx.db.select().from(outbox).where(inArray(outbox.id, ids)).orderBy(outbox.id);

async function waitUntil(what: string, check: () => Promise<boolean>, ms = 30_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Builds the app with a movable clock; everything started in the test is stopped after it, workers first. */
async function setup(tc: TestContext, kind: (typeof DB_KINDS)[number]['kind']) {
  const clock = fixedClock(new Date());
  const t = await testApp(kind, { overrides: { clock } });
  clock.set(new Date()); // building the app can take a while on a busy machine
  const workers: OutboxWorker[] = [];
  const servers: TestSmtp[] = [];
  const extra: { close(): Promise<void> }[] = [];
  tc.after(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await Promise.all(servers.map((s) => s.close()));
    await Promise.all(extra.map((d) => d.close()));
    await t.close();
  });
  return {
    t,
    clock,
    worker(ctx: AppContext, opts: OutboxWorkerOptions) {
      // A long poll: prompt delivery in these tests comes from LISTEN/NOTIFY or runOnce().
      const w = startOutboxWorker(ctx, { pollMs: 60_000, ...opts });
      workers.push(w);
      return w;
    },
    async smtp(opts?: Parameters<typeof startSmtp>[0]) {
      const s = await startSmtp(opts);
      servers.push(s);
      return s;
    },
    /** The store after a restart: a new context (settings, listeners) on the same database. */
    restartedContext: () => createContext(t.ctx.config, t.database, { clock, log: pino({ level: 'silent' }) }),
    /** Another machine on the same PostgreSQL database: its own connection pool and context. */
    async secondProcess() {
      const db = await openDatabase({ databaseUrl: t.database.url!, poolSize: 4 });
      extra.push(db);
      return createContext(t.ctx.config, db, { clock, log: pino({ level: 'silent' }) });
    },
  };
}

for (const { kind, skip } of DB_KINDS) {
  describe(`notifications on ${kind}`, { skip }, () => {
    it('an order confirmation arrives by SMTP with number, products, amounts and payment record, in HTML and text', async (tc) => {
      const s = await setup(tc, kind);
      const smtp = await s.smtp();
      s.worker(s.t.ctx, { mailer: smtpMailer(smtp.url) });
      // Enqueued after the worker started: NOTIFY wakes it long before the next poll.
      const { orderId, ids } = await enqueueConfirmations(s.t.ctx, ['CS-7K3M-9QX2']);
      const [received] = await smtp.waitFor(1, 20_000);
      const { mail } = received!;

      assert.deepEqual(received!.envelopeTo, ['jane@example.com']);
      assert.equal(mail.subject, 'Order CS-7K3M-9QX2 confirmed');
      assert.equal(mail.messageId, `<outbox-${ids[0]}@127.0.0.1>`, 'stable Message-ID from the outbox row');
      assert.equal(mail.from?.value[0]?.address, 'orders@casanovaspace.com');
      assert.equal(mail.from?.value[0]?.name, 'CasanovaSpace');
      assert.equal(mail.replyTo?.value[0]?.address, 'globalhelpwzq@casanovaspace.com');
      assert.equal(mail.headers.get('auto-submitted'), 'auto-generated');
      const html = String(mail.html);
      const text = mail.text ?? '';
      for (const fact of [
        'CS-7K3M-9QX2',
        'Stoneware Mug',
        'Colour: Natural',
        'Qty 2 × $49.00',
        '$98.00',
        '$112.00', // subtotal
        '$6.72', // tax
        '$118.72', // total
        'Free', // shipping
        'Visa ending in 4242',
        'sbx_ch_5f2a9c1e',
        '12 Elm Street',
        'Parkersburg, WV 26101',
        'Monday–Friday: 9:00–12:00 and 14:00–18:00', // service hours in the footer
        '+1 (681) 510-1126',
      ]) {
        assert.ok(html.includes(fact), `HTML lacks ${fact}`);
        assert.ok(text.includes(fact.replace('Qty 2 × $49.00', '2 × $49.00')), `text lacks ${fact}`);
      }
      assert.ok(html.includes('Oak &amp; Linen Table Lamp'), 'product names are escaped in HTML');
      assert.ok(text.includes('Oak & Linen Table Lamp'));
      assert.ok(html.includes('href="http://127.0.0.1:3000/track/CS-7K3M-9QX2?t=signed.token"'), 'tracking link with its token');

      await waitUntil('the row is marked sent', async () => (await rowsOf(s.t.ctx, ids))[0]!.status === 'sent');
      const [row] = await rowsOf(s.t.ctx, ids);
      assert.equal(row!.messageId, mail.messageId);
      assert.equal(row!.subject, 'Order CS-7K3M-9QX2 confirmed');
      assert.equal(row!.attempts, 1);
      assert.ok(row!.sentAt instanceof Date);

      const log = await notificationLog(s.t.ctx.db, { orderId });
      assert.equal(log.length, 1);
      assert.deepEqual(
        { template: log[0]!.template, recipient: log[0]!.recipient, subject: log[0]!.subject, status: log[0]!.status, attempts: log[0]!.attempts, nextAttemptAt: log[0]!.nextAttemptAt },
        { template: 'order_confirmation', recipient: 'jane@example.com', subject: 'Order CS-7K3M-9QX2 confirmed', status: 'sent', attempts: 1, nextAttemptAt: null },
      );
    });

    it('with SMTP down nothing is lost: rows wait with a later due time, then go out once when SMTP is back, across a restart', async (tc) => {
      const s = await setup(tc, kind);
      const port = await freePort(); // nothing listens here yet
      const first = s.worker(s.t.ctx, { mailer: smtpMailer(smtpUrl(port)) });
      const { ids } = await enqueueConfirmations(s.t.ctx, ['CS-AAAA-0001', 'CS-AAAA-0002', 'CS-AAAA-0003']);

      await waitUntil('every row has had one attempt', async () => (await rowsOf(s.t.ctx, ids)).every((r) => r.attempts === 1 && r.status === 'pending'));
      for (const row of await rowsOf(s.t.ctx, ids)) {
        assert.equal(row.status, 'pending');
        assert.match(row.lastError ?? '', /ECONNREFUSED|connect/i);
        // 30 s ± 20 % after the failure, which happened after the clock's time and before now.
        const due = row.nextAttemptAt.getTime();
        assert.ok(due >= s.clock.now().getTime() + 24_000 && due <= Date.now() + 36_000, `first retry about 30 s later, got ${row.nextAttemptAt.toISOString()}`);
      }
      assert.equal(await first.runOnce(), 0, 'not due again before the backoff');

      // The store restarts while the mail server is still down; then the server comes back.
      await first.stop();
      const smtp = await s.smtp({ port });
      const restarted = await s.restartedContext();
      s.clock.advance(2 * 60 * 60_000);
      s.worker(restarted, { mailer: smtpMailer(smtp.url) });

      const received = await smtp.waitFor(3);
      await waitUntil('all rows are sent', async () => (await rowsOf(s.t.ctx, ids)).every((r) => r.status === 'sent'));
      await pause(200);
      assert.equal(received.length, 3, 'each email exactly once');
      assert.deepEqual(received.map((m) => m.mail.messageId).sort(), ids.map((id) => `<outbox-${id}@127.0.0.1>`).sort());
      assert.deepEqual(received.map((m) => m.mail.subject).sort(), ['Order CS-AAAA-0001 confirmed', 'Order CS-AAAA-0002 confirmed', 'Order CS-AAAA-0003 confirmed']);
      for (const row of await rowsOf(s.t.ctx, ids)) {
        assert.equal(row.attempts, 2);
        assert.equal(row.lastError, null);
      }
    });

    it('after the last attempt an email is marked failed, listed for staff, and goes out when staff retry it', async (tc) => {
      const s = await setup(tc, kind);
      const port = await freePort();
      const worker = s.worker(s.t.ctx, { mailer: smtpMailer(smtpUrl(port)), maxAttempts: 2 });
      const { orderId, ids } = await enqueueConfirmations(s.t.ctx, ['CS-FAIL-0001']);
      await waitUntil('the first attempt failed', async () => {
        const [row] = await rowsOf(s.t.ctx, ids);
        return row!.attempts === 1 && row!.status === 'pending';
      });
      s.clock.advance(60 * 60_000);
      await worker.runOnce();
      await waitUntil('the row is failed', async () => (await rowsOf(s.t.ctx, ids))[0]!.status === 'failed');

      const [entry] = await notificationLog(s.t.ctx.db, { orderId });
      assert.equal(entry!.status, 'failed');
      assert.equal(entry!.attempts, 2);
      assert.equal(entry!.nextAttemptAt, null);
      assert.equal(entry!.subject, 'Order CS-FAIL-0001 confirmed', 'the subject is known once rendered');
      const failed = await failedDeliveries(s.t.ctx.db, { page: 1 });
      assert.equal(failed.total, 1);
      assert.equal(failed.items[0]!.id, ids[0]);
      assert.equal(failed.items[0]!.orderId, orderId);
      assert.match(failed.items[0]!.lastError ?? '', /ECONNREFUSED|connect/i);

      // The mail server is fixed; staff press retry: due now, attempts kept, NOTIFY wakes the worker.
      const smtp = await s.smtp({ port });
      const retried = await retryDelivery(s.t.ctx.db, ids[0]!);
      assert.equal(retried.status, 'pending');
      assert.equal(retried.attempts, 2);
      await smtp.waitFor(1, 20_000);
      await waitUntil('the row is sent', async () => (await rowsOf(s.t.ctx, ids))[0]!.status === 'sent');
      assert.equal((await rowsOf(s.t.ctx, ids))[0]!.attempts, 3);
      assert.equal((await failedDeliveries(s.t.ctx.db)).total, 0);

      await assert.rejects(retryDelivery(s.t.ctx.db, ids[0]!), (e: DomainError) => e.code === 'conflict');
      await assert.rejects(retryDelivery(s.t.ctx.db, 999_999), (e: DomainError) => e.code === 'not_found');
    });

    it('a recipient the server refuses for good, or a payload that cannot render, fails at once without retries', async (tc) => {
      const s = await setup(tc, kind);
      const smtp = await s.smtp({ rejectRecipient: (a) => a === 'nobody@example.com' });
      const worker = s.worker(s.t.ctx, { mailer: smtpMailer(smtp.url) });
      const { ids: refused } = await enqueueConfirmations(s.t.ctx, ['CS-NOPE-0001'], 'nobody@example.com');
      // Written past enqueueEmail (as a bad deploy might): no NOTIFY, so run the worker by hand.
      const [broken] = await s.t.ctx.db.insert(outbox).values({ template: 'no_such_template', recipient: 'jane@example.com', payload: {} }).returning();
      await worker.runOnce();
      const ids = [refused[0]!, broken!.id];
      await waitUntil('both rows failed', async () => (await rowsOf(s.t.ctx, ids)).every((r) => r.status === 'failed'));
      const [r1, r2] = await rowsOf(s.t.ctx, ids);
      assert.equal(r1!.attempts, 1);
      assert.match(r1!.lastError ?? '', /550/);
      assert.equal(r2!.attempts, 1);
      assert.match(r2!.lastError ?? '', /cannot render: unknown email template/);
      assert.equal(smtp.messages.length, 0);
    });

    it('a worker that died holding rows leaves them to another worker once its lease ends', async (tc) => {
      const s = await setup(tc, kind);
      const smtp = await s.smtp();
      const { ids } = await enqueueConfirmations(s.t.ctx, ['CS-LOST-0001', 'CS-LOST-0002', 'CS-LOST-0003', 'CS-LOST-0004', 'CS-LOST-0005']);
      // The "crashed" worker: claims the rows exactly as a worker does, then never finishes.
      const claimed = await claimOutboxRows(s.t.ctx, { batchSize: 10, leaseMs: 60_000 });
      assert.deepEqual(claimed.map((r) => r.id).sort((a, b) => a - b), ids);

      const other = await s.restartedContext();
      const survivor = s.worker(other, { mailer: smtpMailer(smtp.url) });
      assert.equal(await survivor.runOnce(), 0, 'claimed rows are left alone while the lease holds');
      assert.ok((await rowsOf(s.t.ctx, ids)).every((r) => r.status === 'sending'));

      // Well past the one-minute lease (the test clock started before the claim; the database clock moved on).
      s.clock.advance(5 * 60_000);
      // A late wake-up may run the worker in the background too; runs never overlap, and either run delivers.
      await survivor.runOnce();
      const received = await smtp.waitFor(5);
      await pause(100);
      assert.equal(received.length, 5);
      assert.equal(new Set(received.map((m) => m.mail.messageId)).size, 5);
      for (const row of await rowsOf(s.t.ctx, ids)) {
        assert.equal(row.status, 'sent');
        assert.equal(row.attempts, 2, 'the lost claim counts as an attempt');
      }
    });

    it('without SMTP the emails are written as readable .eml files named after the outbox row', async (tc) => {
      const s = await setup(tc, kind);
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'casanova-mail-'));
      tc.after(() => fs.rm(dir, { recursive: true, force: true }));
      s.worker(s.t.ctx, { mailer: fileMailer(dir) });
      const { ids } = await enqueueConfirmations(s.t.ctx, ['CS-FILE-0001']);
      await waitUntil('the row is sent', async () => (await rowsOf(s.t.ctx, ids))[0]!.status === 'sent');

      const name = `outbox-${ids[0]}.eml`;
      assert.deepEqual(await fs.readdir(dir), [name], 'one finished file, no temporary leftovers');
      const [listed] = await listMailFiles(dir, 10);
      assert.equal(listed!.name, name);
      assert.equal(listed!.subject, 'Order CS-FILE-0001 confirmed');
      assert.equal(listed!.to, 'jane@example.com');
      assert.equal(listed!.messageId, `<outbox-${ids[0]}@127.0.0.1>`);

      const file = await readMailFile(dir, name);
      assert.equal(file.subject, 'Order CS-FILE-0001 confirmed');
      assert.ok(file.html?.includes('Visa ending in 4242'));
      assert.ok(file.text?.includes('Total:'));
      assert.ok(Math.abs(file.date.getTime() - Date.now()) < 60_000);
      // The small reader agrees with a full MIME parser.
      const parsed = await simpleParser(await fs.readFile(path.join(dir, name)));
      assert.equal(file.html, parsed.html);
      assert.equal(file.text?.trim(), parsed.text?.trim());
      assert.equal(file.from, 'CasanovaSpace <orders@casanovaspace.com>');

      await assert.rejects(readMailFile(dir, '../secret.eml'), (e: DomainError) => e.code === 'not_found');
      await assert.rejects(readMailFile(dir, 'outbox-0.eml'), (e: DomainError) => e.code === 'not_found');
      assert.deepEqual(await listMailFiles(path.join(dir, 'absent'), 10), []);
    });

    it('two workers on PostgreSQL deliver 200 emails, each exactly once', { skip: kind !== 'postgres' && 'needs several connections (PostgreSQL)' }, async (tc) => {
      const s = await setup(tc, kind);
      const smtp = await s.smtp();
      const ids: number[] = [];
      for (let batch = 0; batch < 10; batch++) {
        const numbers = Array.from({ length: 20 }, (_, i) => `CS-MANY-${String(batch * 20 + i).padStart(4, '0')}`);
        ids.push(...(await enqueueConfirmations(s.t.ctx, numbers)).ids);
      }
      // Three "machines": each its own pool and context on the same database.
      const contexts = [s.t.ctx, await s.secondProcess(), await s.secondProcess()];
      const sentBy = contexts.map(() => 0);
      const workers = contexts.map((ctx, i) =>
        s.worker(ctx, {
          mailer: { send: (m) => smtpMailer(smtp.url).send(m).then(() => void sentBy[i]!++) },
          batchSize: 5,
        }),
      );
      const received = await smtp.waitFor(200, 60_000);
      await Promise.all(workers.map((w) => w.runOnce()));
      await pause(300);
      assert.equal(received.length, 200, 'no email twice');
      const messageIds = new Set(received.map((m) => m.mail.messageId));
      assert.equal(messageIds.size, 200);
      assert.deepEqual([...messageIds].sort(), ids.map((id) => `<outbox-${id}@127.0.0.1>`).sort());
      await waitUntil('all rows are sent', async () => (await rowsOf(s.t.ctx, ids)).every((r) => r.status === 'sent'));
      assert.ok((await rowsOf(s.t.ctx, ids)).every((r) => r.attempts === 1), 'each row claimed once');
      assert.equal(sentBy.reduce((a, b) => a + b), 200);
      tc.diagnostic(`sent per worker: ${sentBy.join(', ')}`);
    });
  });
}

for (const { kind, skip } of DB_KINDS) {
  describe(`order confirmation end to end on ${kind}`, { skip }, () => {
    const orderId = async (ctx: AppContext, number: string) =>
      (await ctx.db.select({ id: orders.id }).from(orders).where(eq(orders.number, number)))[0]!.id;

    it('an order placed through the API is confirmed by one email carrying its number', async (tc) => {
      const s = await setup(tc, kind);
      await addProducts(s.t.ctx, basicCatalog);
      const smtp = await s.smtp();
      s.worker(s.t.ctx, { mailer: smtpMailer(smtp.url) });

      const order = await placeTestOrder(s.t, [{ sku: 'MUG-1', quantity: 2 }, { sku: 'LAMP-1', quantity: 1 }]);
      const [received] = await smtp.waitFor(1, 20_000);
      const { mail } = received!;
      assert.deepEqual(received!.envelopeTo, ['jane.doe@example.com']);
      assert.equal(mail.subject, `Order ${order.number} confirmed`);
      const html = String(mail.html);
      for (const fact of [order.number, 'Test Mug', 'Test Lamp', 'colour: Oat', order.payment.transactionId, `ending in ${order.payment.last4}`, '12 Market St']) {
        assert.ok(html.includes(fact), `HTML lacks ${fact}`);
        assert.ok(mail.text?.includes(fact), `text lacks ${fact}`);
      }
      const total = `$${(order.totals.total / 100).toFixed(2)}`;
      assert.ok(html.includes(total) && mail.text?.includes(total), `total ${total}`);
      assert.ok(html.includes(order.trackingUrl.replaceAll('&', '&amp;')), 'signed tracking link');

      await pause(300);
      assert.equal(smtp.messages.length, 1, 'one email per order');
      const log = await notificationLog(s.t.ctx.db, { orderId: await orderId(s.t.ctx, order.number) });
      assert.deepEqual(
        log.map((e) => [e.template, e.recipient, e.status, e.attempts]),
        [['order_confirmation', 'jane.doe@example.com', 'sent', 1]],
      );
    });

    it('with SMTP down orders still succeed, and their confirmations go out once SMTP is back, after a restart', async (tc) => {
      const s = await setup(tc, kind);
      await addProducts(s.t.ctx, basicCatalog);
      const port = await freePort();
      const first = s.worker(s.t.ctx, { mailer: smtpMailer(smtpUrl(port)) });

      const placed = [await placeTestOrder(s.t), await placeTestOrder(s.t, [{ sku: 'LAMP-2', quantity: 1 }])];
      assert.ok(placed.every((o) => o.status === 'paid'));
      const ids = await Promise.all(placed.map((o) => orderId(s.t.ctx, o.number)));
      const waiting = async () => (await Promise.all(ids.map((id) => notificationLog(s.t.ctx.db, { orderId: id })))).flat();
      await waitUntil('both confirmations had a failed attempt', async () => (await waiting()).every((e) => e.status === 'pending' && e.attempts === 1));
      assert.equal((await waiting()).length, 2);

      await first.stop();
      const smtp = await s.smtp({ port });
      s.clock.advance(2 * 60 * 60_000);
      s.worker(await s.restartedContext(), { mailer: smtpMailer(smtp.url) });
      const received = await smtp.waitFor(2);
      await waitUntil('both are sent', async () => (await waiting()).every((e) => e.status === 'sent'));
      await pause(200);
      assert.deepEqual(received.map((m) => m.mail.subject).sort(), placed.map((o) => `Order ${o.number} confirmed`).sort());
    });
  });
}
