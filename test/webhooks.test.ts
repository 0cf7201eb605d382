// Scenario tests: outgoing webhooks. An owner registers an endpoint (the secret once), order
// changes and low stock reach it signed, through the outbox: a receiver that fails, times out
// or is slow gets retries and never slows checkout; private addresses are refused by default;
// an endpoint that keeps failing is disabled with an email to the owners, and re-enabled;
// a delivery can be resent; two workers never deliver one twice. Both databases.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq } from 'drizzle-orm';
import { pino } from 'pino';
import { DB_KINDS } from './helpers/databases.ts';
import { testApp, fixedClock, type TestApp } from './helpers/test-app.ts';
import { addProducts, basicCatalog } from './helpers/fixtures.ts';
import { placeTestOrder } from './helpers/orders.ts';
import { addStaff, staffToken } from './helpers/staff.ts';
import { startWebhookReceiver, type WebhookReceiver } from './helpers/webhook-receiver.ts';
import { outbox, webhookEndpoints } from '../src/db/schema.ts';
import { openDatabase } from '../src/db/client.ts';
import { createContext, type AppContext } from '../src/context.ts';
import { startOutboxWorker, type OutboxWorker } from '../src/jobs/outbox-worker.ts';
import { verifyWebhookSignature } from '../src/domain/webhooks/webhook-signature.ts';
import { enqueueWebhook } from '../src/domain/webhooks/webhook-fanout.ts';

const MINUTE = 60_000;
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

for (const { kind, skip } of DB_KINDS) {
  describe(`outgoing webhooks on ${kind}`, { skip }, () => {
    let t: TestApp;
    let token: string;
    let receiver: WebhookReceiver;
    let worker: OutboxWorker;
    const clock = fixedClock('2030-03-03T14:00:00Z');
    const mailer = { send: async () => {} };
    before(async () => {
      t = await testApp(kind, { overrides: { clock }, env: { WEBHOOKS_ALLOW_PRIVATE: 'on' } });
      await addProducts(t.ctx, basicCatalog);
      token = await staffToken(t, 'owner');
      receiver = await startWebhookReceiver();
      // A short timeout; the tests drive it with runOnce().
      worker = startOutboxWorker(t.ctx, { mailer, manual: true, webhookTimeoutMs: 500 });
    });
    after(async () => {
      await worker?.stop();
      await receiver?.close();
      await t?.close();
    });

    /** Registers an endpoint through the API; returns its id and the secret shown once. */
    const register = async (events: string[], url = receiver.url) => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/admin/webhooks', headers: auth(token), payload: { url, events, description: 'books' } });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { endpoint: { id: string; status: string }; secret: string };
    };
    const deliveries = async (id: string) => {
      const res = await t.app.inject({ url: `/api/v1/admin/webhooks/${id}/deliveries`, headers: auth(token) });
      assert.equal(res.statusCode, 200, res.body);
      return res.json().items as { id: number; deliveryId: string; event: string; status: string; attempts: { statusCode: number | null; durationMs: number; error: string | null }[] }[];
    };
    /** Runs the worker until nothing is due (retries come due only when the clock moves). */
    const drain = async () => {
      while ((await worker.runOnce()) > 0);
    };
    const disable = (id: string) => t.app.inject({ method: 'POST', url: `/api/v1/admin/webhooks/${id}/disable`, headers: auth(token) });

    it('an order placed reaches the endpoint once, signed with the secret shown at creation, in the documented shape', async () => {
      const { endpoint, secret } = await register(['order.placed']);
      const shown = await t.app.inject({ url: `/api/v1/admin/webhooks/${endpoint.id}`, headers: auth(token) });
      assert.equal(shown.json().secret, undefined, 'the secret is never shown again');
      assert.ok(!shown.body.includes(secret));
      receiver.received.length = 0;
      const order = await placeTestOrder(t, [{ sku: 'MUG-1', quantity: 2 }]);
      await drain();
      const [hook] = await receiver.waitFor(1);
      assert.equal(receiver.received.length, 1);
      assert.equal(hook!.headers['x-casanova-event'], 'order.placed');
      assert.match(String(hook!.headers['x-casanova-delivery']), /^whd_/);
      assert.match(String(hook!.headers['x-casanova-signature']), /^v1=[0-9a-f]{64}$/);
      const signed = { timestamp: String(hook!.headers['x-casanova-timestamp']), signature: String(hook!.headers['x-casanova-signature']) };
      assert.ok(verifyWebhookSignature(secret, signed, hook!.body, clock.now()), 'the signature verifies');
      assert.ok(!verifyWebhookSignature(secret, signed, hook!.body.replace('MUG-1', 'MUG-2'), clock.now()), 'a changed body does not');
      assert.ok(!verifyWebhookSignature('whsec_other', signed, hook!.body, clock.now()), 'another secret does not');
      assert.ok(!verifyWebhookSignature(secret, signed, hook!.body, new Date(clock.now().getTime() + 10 * MINUTE)), 'an old delivery is refused');
      const body = JSON.parse(hook!.body);
      assert.match(body.id, /^evt_/);
      assert.equal(body.type, 'order.placed');
      assert.equal(body.data.order.number, order.number);
      assert.equal(body.data.order.status, 'paid');
      assert.equal(body.data.order.currency, 'USD');
      assert.equal(body.data.order.subtotal, 3000);
      assert.equal(body.data.order.total, order.totals.total);
      assert.deepEqual(body.data.order.items.map((i: { sku: string; quantity: number; unitPrice: number }) => [i.sku, i.quantity, i.unitPrice]), [['MUG-1', 2, 1500]]);
      const [logged] = await deliveries(endpoint.id);
      assert.equal(logged!.status, 'sent');
      assert.equal(logged!.attempts.length, 1);
      assert.equal(logged!.attempts[0]!.statusCode, 200);
      assert.ok(logged!.attempts[0]!.durationMs >= 0);
      assert.equal((await disable(endpoint.id)).statusCode, 200);
    });

    it('a receiver answering 500 gets retries with backoff, and the delivery goes through once it answers 200', async () => {
      const { endpoint } = await register(['order.status_changed', 'order.cancelled']);
      receiver.received.length = 0;
      receiver.answer({ status: 500 });
      const order = await placeTestOrder(t);
      const cancel = await t.app.inject({ method: 'POST', url: `/api/v1/admin/orders/${order.number}/transitions`, headers: auth(token), payload: { to: 'cancelled', reason: 'Customer asked' } });
      assert.equal(cancel.statusCode, 200, cancel.body);
      await drain();
      assert.equal(receiver.received.length, 2, 'status changed and cancelled, one attempt each');
      assert.deepEqual(receiver.received.map((r) => r.headers['x-casanova-event']).sort(), ['order.cancelled', 'order.status_changed']);
      let log = await deliveries(endpoint.id);
      assert.ok(log.every((d) => d.status === 'pending' && d.attempts.length === 1 && d.attempts[0]!.statusCode === 500));
      await drain();
      assert.equal(receiver.received.length, 2, 'not again before the backoff');
      receiver.answer({ status: 204 });
      clock.advance(2 * MINUTE);
      await drain();
      assert.equal(receiver.received.length, 4);
      log = await deliveries(endpoint.id);
      assert.ok(log.every((d) => d.status === 'sent' && d.attempts.map((a) => a.statusCode).join() === '500,204'), JSON.stringify(log));
      const cancelled = JSON.parse(receiver.received.find((r) => r.headers['x-casanova-event'] === 'order.cancelled')!.body);
      assert.deepEqual(cancelled.data.change, { from: 'paid', to: 'cancelled', reason: 'Customer asked' });
      assert.equal(cancelled.data.order.status, 'cancelled');
      await disable(endpoint.id);
    });

    it('a receiver that never answers times out, is logged without a status, and is retried', async () => {
      const { endpoint } = await register(['order.placed']);
      receiver.answer({ hang: true });
      await placeTestOrder(t);
      await drain();
      const [d] = await deliveries(endpoint.id);
      assert.equal(d!.status, 'pending');
      assert.equal(d!.attempts[0]!.statusCode, null);
      assert.match(String(d!.attempts[0]!.error), /no answer within 0.5 s/);
      assert.ok(d!.attempts[0]!.durationMs >= 450);
      receiver.answer({ status: 200 });
      clock.advance(2 * MINUTE);
      await drain();
      assert.equal((await deliveries(endpoint.id))[0]!.status, 'sent');
      await disable(endpoint.id);
    });

    it('a slow receiver never holds up checkout: orders are placed while a delivery is still waiting for its answer', async () => {
      const { endpoint } = await register(['order.placed']);
      receiver.received.length = 0;
      receiver.answer({ hang: true });
      const running = startOutboxWorker(t.ctx, { mailer, pollMs: 50, webhookTimeoutMs: 30_000 });
      try {
        await placeTestOrder(t);
        await receiver.waitFor(1);
        // The first delivery is held open by the receiver; checkout goes on regardless.
        await placeTestOrder(t);
        await placeTestOrder(t);
        receiver.answer({ status: 200 });
        receiver.release();
        await receiver.waitFor(3);
        const until = Date.now() + 10_000;
        while ((await deliveries(endpoint.id)).some((d) => d.status !== 'sent') && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      } finally {
        await running.stop();
      }
      const log = await deliveries(endpoint.id);
      assert.equal(log.length, 3);
      assert.ok(log.every((d) => d.status === 'sent' && d.attempts.length === 1), JSON.stringify(log));
      await disable(endpoint.id);
    });

    it('stock falling to the low-stock threshold sends stock.low once', async () => {
      const { endpoint } = await register(['stock.low']);
      receiver.received.length = 0;
      // LAMP-1 has 10; the threshold is 5: 4 sold leaves 6 (not low), 1 more leaves 5 (low), 1 more is already low.
      await placeTestOrder(t, [{ sku: 'LAMP-1', quantity: 4 }]);
      await placeTestOrder(t, [{ sku: 'LAMP-1', quantity: 1 }]);
      await placeTestOrder(t, [{ sku: 'LAMP-1', quantity: 1 }]);
      await drain();
      assert.equal(receiver.received.length, 1);
      const body = JSON.parse(receiver.received[0]!.body);
      assert.equal(body.type, 'stock.low');
      assert.deepEqual({ sku: body.data.variant.sku, stock: body.data.variant.stock, threshold: body.data.variant.threshold }, { sku: 'LAMP-1', stock: 5, threshold: 5 });
      await disable(endpoint.id);
    });

    it('Resend sends the same event again as a new delivery', async () => {
      const { endpoint } = await register(['order.placed']);
      receiver.received.length = 0;
      await placeTestOrder(t);
      await drain();
      const [first] = await deliveries(endpoint.id);
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/admin/webhooks/${endpoint.id}/deliveries/${first!.id}/resend`, headers: auth(token) });
      assert.equal(res.statusCode, 202, res.body);
      await drain();
      assert.equal(receiver.received.length, 2);
      const [a, b] = receiver.received;
      assert.equal(a!.body, b!.body, 'the same event body');
      assert.notEqual(a!.headers['x-casanova-delivery'], b!.headers['x-casanova-delivery']);
      assert.equal((await deliveries(endpoint.id)).length, 2);
      const unknown = await t.app.inject({ method: 'POST', url: `/api/v1/admin/webhooks/${endpoint.id}/deliveries/999999/resend`, headers: auth(token) });
      assert.equal(unknown.statusCode, 404);
      await disable(endpoint.id);
    });

    it('after 20 failed attempts in a row the endpoint is disabled and the owners are emailed; re-enabled it delivers again', async () => {
      const owner = await addStaff(t.ctx, 'owner');
      const { endpoint } = await register(['order.placed']);
      receiver.answer({ status: 503 });
      await t.ctx.db.update(webhookEndpoints).set({ consecutiveFailures: 19 }).where(eq(webhookEndpoints.id, endpoint.id));
      const before = receiver.received.length;
      await placeTestOrder(t);
      await drain();
      // Deliveries of one batch go out in parallel, so the second order comes after the 20th failure.
      await placeTestOrder(t);
      await drain();
      assert.equal(receiver.received.length, before + 1, 'nothing more is sent once the endpoint is off');
      const shown = (await t.app.inject({ url: `/api/v1/admin/webhooks/${endpoint.id}`, headers: auth(token) })).json();
      assert.equal(shown.status, 'disabled');
      assert.match(shown.disabledReason, /20 failed deliveries in a row/);
      const mails = await t.ctx.db.select().from(outbox).where(and(eq(outbox.template, 'webhook_disabled'), eq(outbox.recipient, owner.email)));
      assert.equal(mails.length, 1, 'the owner is told once');
      const log = await deliveries(endpoint.id);
      assert.deepEqual(log.map((d) => d.status), ['pending'], 'an order placed while the endpoint is off makes no delivery');

      receiver.answer({ status: 200 });
      const enabled = await t.app.inject({ method: 'POST', url: `/api/v1/admin/webhooks/${endpoint.id}/enable`, headers: auth(token) });
      assert.equal(enabled.statusCode, 200);
      assert.equal(enabled.json().status, 'active');
      assert.equal(enabled.json().consecutiveFailures, 0);
      for (const d of log) await t.app.inject({ method: 'POST', url: `/api/v1/admin/webhooks/${endpoint.id}/deliveries/${d.id}/resend`, headers: auth(token) });
      clock.advance(2 * MINUTE);
      await drain();
      const after = await deliveries(endpoint.id);
      assert.equal(after.filter((d) => d.status === 'sent').length, 2);
      await disable(endpoint.id);
    });

    it('an endpoint failing for 3 days is disabled even with fewer than 20 failures', async () => {
      const { endpoint } = await register(['order.placed']);
      receiver.answer({ status: 500 });
      await t.ctx.db
        .update(webhookEndpoints)
        .set({ consecutiveFailures: 3, failingSince: new Date(clock.now().getTime() - 3 * 24 * 60 * MINUTE) })
        .where(eq(webhookEndpoints.id, endpoint.id));
      await placeTestOrder(t);
      await drain();
      const shown = (await t.app.inject({ url: `/api/v1/admin/webhooks/${endpoint.id}`, headers: auth(token) })).json();
      assert.equal(shown.status, 'disabled');
      assert.match(shown.disabledReason, /3 days/);
      receiver.answer({ status: 200 });
    });

    it('bad input is refused with 422 naming the field; other roles may not touch webhooks', async () => {
      const bad = await t.app.inject({ method: 'POST', url: '/api/v1/admin/webhooks', headers: auth(token), payload: { url: 'ftp://example.com/x', events: ['order.placed'] } });
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /https:\/\//);
      const noEvents = await t.app.inject({ method: 'POST', url: '/api/v1/admin/webhooks', headers: auth(token), payload: { url: receiver.url, events: [] } });
      assert.equal(noEvents.statusCode, 422);
      const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/admin/webhooks', headers: auth(token), payload: { url: receiver.url, events: ['order.exploded'] } });
      assert.equal(unknown.statusCode, 422);
      const missing = await t.app.inject({ url: '/api/v1/admin/webhooks/not-an-id', headers: auth(token) });
      assert.equal(missing.statusCode, 404);
      const support = await staffToken(t, 'support');
      assert.equal((await t.app.inject({ url: '/api/v1/admin/webhooks', headers: auth(support) })).statusCode, 403);
      assert.equal((await t.app.inject({ url: '/api/v1/admin/webhooks' })).statusCode, 401);
    });
  });

  describe(`webhook addresses on ${kind}`, { skip }, () => {
    let t: TestApp;
    let token: string;
    before(async () => {
      t = await testApp(kind);
      token = await staffToken(t, 'owner');
    });
    after(() => t?.close());

    it('refuses loopback and private addresses by default, by name or number', async () => {
      for (const url of ['http://127.0.0.1:4500/hooks', 'http://localhost:4500/hooks', 'http://10.1.2.3/x', 'http://192.168.1.10/x', 'http://169.254.169.254/latest', 'http://[::1]/x', 'http://[::ffff:127.0.0.1]/x']) {
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/admin/webhooks', headers: auth(token), payload: { url, events: ['order.placed'] } });
        assert.equal(res.statusCode, 422, `${url}: ${res.body}`);
        assert.match(res.json().error.details.fields.url, /private network address/, url);
      }
      assert.equal((await t.ctx.db.select().from(webhookEndpoints)).length, 0);
    });

    it('re-checks the address before each delivery: an endpoint that now points inside is not called', async () => {
      const receiver = await startWebhookReceiver();
      try {
        // Registered while allowed (as if DNS pointed elsewhere then), delivered while not.
        const [endpoint] = await t.ctx.db.insert(webhookEndpoints).values({ url: receiver.url, events: ['order.placed'], secret: 'whsec_test' }).returning();
        await enqueueWebhook(t.ctx.db, endpoint!.id, { id: 'evt_1', type: 'order.placed', createdAt: new Date().toISOString(), data: {} });
        const worker = startOutboxWorker(t.ctx, { mailer: { send: async () => {} }, manual: true });
        await worker.runOnce();
        await worker.stop();
        assert.equal(receiver.received.length, 0);
        const [row] = await t.ctx.db.select().from(outbox).where(eq(outbox.channel, 'webhook'));
        assert.match(String(row!.lastError), /private network address/);
      } finally {
        await receiver.close();
      }
    });
  });
}

describe('webhooks with several workers on PostgreSQL', { skip: DB_KINDS[1]!.skip }, () => {
  it('two workers (two processes) deliver 100 webhooks, each exactly once', async () => {
    const t = await testApp('postgres', { env: { WEBHOOKS_ALLOW_PRIVATE: 'on' } });
    const receiver = await startWebhookReceiver();
    const second = await openDatabase({ databaseUrl: t.database.url!, poolSize: 4 });
    const workers: OutboxWorker[] = [];
    try {
      const [endpoint] = await t.ctx.db.insert(webhookEndpoints).values({ url: receiver.url, events: ['order.placed'], secret: 'whsec_test' }).returning();
      await t.ctx.db.transaction(async (tx) => {
        for (let i = 0; i < 100; i++) await enqueueWebhook(tx, endpoint!.id, { id: `evt_${i}`, type: 'order.placed', createdAt: new Date().toISOString(), data: { i } });
      });
      receiver.answer({ delayMs: 20 });
      const contexts: AppContext[] = [t.ctx, await createContext(t.ctx.config, second, { log: pino({ level: 'silent' }) })];
      for (const ctx of contexts) workers.push(startOutboxWorker(ctx, { mailer: { send: async () => {} }, pollMs: 50, batchSize: 5 }));
      await receiver.waitFor(100, 30_000);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(receiver.received.length, 100, 'none twice');
      assert.equal(new Set(receiver.received.map((r) => r.headers['x-casanova-delivery'])).size, 100);
      const rows = await t.ctx.db.select().from(outbox).where(eq(outbox.channel, 'webhook'));
      assert.ok(rows.every((r) => r.status === 'sent' && r.attempts === 1));
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      await receiver.close();
      await second.close();
      await t.close();
    }
  });
});
