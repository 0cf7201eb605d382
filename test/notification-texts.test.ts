// Scenario tests: editable customer emails. An owner overrides an email's subject, intro and
// closing with the variables it offers (anything else is refused, markup is shown as text),
// the outbox worker sends the override (HTML and text alike) with the required blocks still
// there, a revert brings the default back, every change is kept, a test goes to the staff
// member, and only owners may edit. Both databases.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { desc, eq } from 'drizzle-orm';
import { DB_KINDS } from './helpers/databases.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';
import { addProducts, basicCatalog } from './helpers/fixtures.ts';
import { placeTestOrder } from './helpers/orders.ts';
import { insertPaidOrder } from './helpers/order-fixture.ts';
import { staffSession } from './helpers/staff.ts';
import { emailOverrideHistory, outbox } from '../src/db/schema.ts';
import * as orderService from '../src/domain/orders/order-service.ts';
import { enqueueEmail } from '../src/domain/notifications/outbox.ts';
import { fileMailer, readMailFile } from '../src/domain/notifications/mailer.ts';
import { startOutboxWorker, type OutboxWorker } from '../src/jobs/outbox-worker.ts';

const form = (fields: Record<string, string>) => ({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });

for (const { kind, skip } of DB_KINDS) {
  describe(`editable notifications on ${kind}`, { skip }, () => {
    let t: TestApp;
    let dir: string;
    let worker: OutboxWorker;
    let owner: Awaited<ReturnType<typeof staffSession>>;
    let shippedNumber: string;

    before(async () => {
      t = await testApp(kind);
      await addProducts(t.ctx, basicCatalog);
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'casanova-notify-'));
      worker = startOutboxWorker(t.ctx, { mailer: fileMailer(dir), pollMs: 60_000 });
      owner = await staffSession(t, 'owner');
      const o = await insertPaidOrder(t.ctx, { name: 'Jane Doe' });
      const actor = { kind: 'staff' as const, staffId: owner.member.id, email: owner.member.email };
      await orderService.verify(t.ctx, o.number, actor);
      await orderService.startPreparing(t.ctx, o.number, actor);
      await orderService.markPacked(t.ctx, o.number, actor);
      await orderService.ship(t.ctx, o.number, actor, { carrier: 'UPS', trackingNumber: '1Z999AA10123456784' });
      shippedNumber = o.number;
    });
    after(async () => {
      await worker?.stop();
      await t?.close();
      if (dir) await fs.rm(dir, { recursive: true, force: true });
    });

    const save = (template: string, fields: Record<string, string>, who = owner) =>
      t.app.inject({ method: 'POST', url: `/admin/notifications/${template}`, cookies: who.cookies, ...form({ _csrf: who.csrf, subject: '', intro: '', closing: '', ...fields }) });
    /** Sends whatever is queued and returns the newest email to `to`, parsed from its .eml file. */
    const deliveredTo = async (to: string) => {
      while ((await worker.runOnce()) > 0);
      const [row] = await t.ctx.db.select().from(outbox).where(eq(outbox.recipient, to)).orderBy(desc(outbox.id)).limit(1);
      assert.equal(row?.status, 'sent', `an email to ${to} was sent`);
      return readMailFile(dir, `outbox-${row!.id}.eml`);
    };
    /** A fresh shipping email for the order, as the shop would queue it. */
    const queueShipped = async (to: string) => {
      const [last] = await t.ctx.db.select().from(outbox).where(eq(outbox.template, 'order_shipped')).orderBy(desc(outbox.id)).limit(1);
      await t.ctx.db.transaction((tx) => enqueueEmail(tx, { template: 'order_shipped', to, payload: last!.payload as never }));
    };

    it('refuses a variable the email does not offer, naming it, and keeps the default', async () => {
      const res = await save('order_shipped', { intro: 'Hello {{customer_name}}, {{order_number}} left with {{carrier}}. {{coupon_code}}' });
      assert.equal(res.statusCode, 422);
      assert.match(res.body, /Unknown variables \{\{customer_name\}\}, \{\{coupon_code\}\}\. This email can use \{\{shop_name\}\}, \{\{order_number\}\}, \{\{carrier\}\}, \{\{tracking_number\}\}/);
      const oneLine = await save('order_shipped', { subject: 'Two\nlines' });
      assert.equal(oneLine.statusCode, 422);
      assert.match(oneLine.body, /Subject must be one line/);
      assert.equal((await t.ctx.db.select().from(emailOverrideHistory)).length, 0, 'nothing was saved');
    });

    it('sends the saved texts in the HTML and the text part, escapes markup, keeps the required blocks, and a revert restores the default', async () => {
      const res = await save('order_shipped', {
        subject: '{{shop_name}}: {{order_number}} is on the road',
        intro: 'Your parcel {{order_number}} is with {{carrier}} (tracking {{tracking_number}}). <script>alert(1)</script>',
        closing: 'Thanks for shopping with {{shop_name}}!',
      });
      assert.equal(res.statusCode, 303, res.body);
      const store = t.ctx.settings().storeName;

      await queueShipped('jane.doe@example.com');
      const mail = await deliveredTo('jane.doe@example.com');
      assert.equal(mail.subject, `${store}: ${shippedNumber} is on the road`);
      const intro = `Your parcel ${shippedNumber} is with UPS (tracking 1Z999AA10123456784).`;
      assert.ok(mail.text!.includes(`${intro} <script>alert(1)</script>`), 'the text part has the intro as typed');
      // Preact escapes < and & in text (a > alone cannot open a tag).
      assert.match(mail.html!.replace(/\s+/g, ' '), new RegExp(`${intro.replace(/[.()]/g, '\\$&')} &lt;script(>|&gt;)alert\\(1\\)&lt;/script`), 'the HTML part has it escaped');
      assert.doesNotMatch(mail.html!, /<script/i);
      for (const part of [mail.text!, mail.html!]) {
        assert.ok(part.includes(`Thanks for shopping with ${store}!`), 'closing');
        assert.doesNotMatch(part, /has left our warehouse/, 'the default intro is replaced');
        assert.match(part, /Track your order/, 'the tracking link stays');
        assert.match(part, /1Z999AA10123456784/);
      }

      const revert = await t.app.inject({ method: 'POST', url: '/admin/notifications/order_shipped/revert', cookies: owner.cookies, ...form({ _csrf: owner.csrf }) });
      assert.equal(revert.statusCode, 303);
      await queueShipped('jane.again@example.com');
      const back = await deliveredTo('jane.again@example.com');
      assert.equal(back.subject, `Order ${shippedNumber} has shipped`);
      assert.match(back.text!, /has left our warehouse/);
      assert.doesNotMatch(back.text!, /on the road|Thanks for shopping/);

      const history = await t.ctx.db.select().from(emailOverrideHistory).where(eq(emailOverrideHistory.template, 'order_shipped')).orderBy(emailOverrideHistory.id);
      assert.deepEqual(
        history.map((h) => [h.action, h.staffName, h.before.intro === null, h.after.intro === null]),
        [
          ['saved', owner.member.name, true, false],
          ['reverted', owner.member.name, false, true],
        ],
      );
      const page = await t.app.inject({ url: '/admin/notifications/order_shipped', cookies: owner.cookies });
      assert.match(page.body, /Reverted to default/);
      assert.match(page.body, /Saved/);
    });

    it('keeps items, totals, payment record and tracking link in the confirmation whatever the texts', async () => {
      const res = await save('order_confirmation', { subject: 'Receipt {{order_number}}', intro: 'Hi {{customer_name}}.', closing: 'Bye.' });
      assert.equal(res.statusCode, 303, res.body);
      const order = await placeTestOrder(t, [{ sku: 'MUG-1', quantity: 2 }], { body: { email: 'buyer@example.com' } });
      const mail = await deliveredTo('buyer@example.com');
      assert.equal(mail.subject, `Receipt ${order.number}`);
      for (const part of [mail.text!, mail.html!]) {
        assert.match(part, /Hi [^.<]+\./);
        assert.match(part, /Bye\./);
        assert.match(part, /Test Mug/, 'items');
        assert.match(part, /Subtotal/, 'totals');
        assert.match(part, /Transaction ID/, 'payment record');
        assert.match(part, /Track your order/, 'tracking link');
      }
    });

    it('previews against a chosen order and sends a test to the signed-in staff member, not the customer', async () => {
      await save('order_shipped', { intro: 'Preview intro for {{order_number}}.' });
      const page = await t.app.inject({ url: `/admin/notifications/order_shipped?order=${shippedNumber.toLowerCase()}`, cookies: owner.cookies });
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes(`Preview intro for ${shippedNumber}.`), 'the plain-text preview shows the saved intro');
      const frame = await t.app.inject({ url: `/admin/notifications/order_shipped/preview?order=${shippedNumber}`, cookies: owner.cookies });
      assert.equal(frame.statusCode, 200);
      assert.match(frame.headers['content-security-policy'] as string, /sandbox/);
      assert.ok(frame.body.includes(`Preview intro for ${shippedNumber}.`));
      const unknown = await t.app.inject({ url: '/admin/notifications/order_shipped?order=CS-NOPE-0000', cookies: owner.cookies });
      assert.match(unknown.body, /Order CS-NOPE-0000 has no/);

      const sent = await t.app.inject({ method: 'POST', url: '/admin/notifications/order_shipped/test', cookies: owner.cookies, ...form({ _csrf: owner.csrf, order: shippedNumber }) });
      assert.equal(sent.statusCode, 303);
      const [row] = await t.ctx.db.select().from(outbox).orderBy(desc(outbox.id)).limit(1);
      assert.equal(row!.recipient, owner.member.email);
      assert.equal(row!.template, 'order_shipped');
      const mail = await deliveredTo(owner.member.email);
      assert.ok(mail.text!.includes(`Preview intro for ${shippedNumber}.`));
    });

    it('lets support look but not change, and refuses the signed-out and forged forms', async () => {
      const support = await staffSession(t, 'support');
      const look = await t.app.inject({ url: '/admin/notifications/order_shipped', cookies: support.cookies });
      assert.equal(look.statusCode, 200);
      assert.doesNotMatch(look.body, /Send a test to me|Revert to default|>Save</);
      for (const url of ['/admin/notifications/order_shipped', '/admin/notifications/order_shipped/revert', '/admin/notifications/order_shipped/test']) {
        const res = await t.app.inject({ method: 'POST', url, cookies: support.cookies, ...form({ _csrf: support.csrf, intro: 'x' }) });
        assert.equal(res.statusCode, 403, url);
      }
      const warehouse = await staffSession(t, 'warehouse');
      assert.equal((await t.app.inject({ url: '/admin/notifications', cookies: warehouse.cookies })).statusCode, 403);
      assert.equal((await t.app.inject({ url: '/admin/notifications' })).statusCode, 303, 'signed out: to the sign-in page');
      const forged = await t.app.inject({ method: 'POST', url: '/admin/notifications/order_shipped', cookies: owner.cookies, ...form({ intro: 'x' }) });
      assert.equal(forged.statusCode, 403, 'no CSRF token');
      assert.equal((await t.app.inject({ url: '/admin/notifications/no_such_email', cookies: owner.cookies })).statusCode, 404);
    });
  });
}
