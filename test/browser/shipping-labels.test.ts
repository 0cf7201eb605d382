// A warehouse member buys a label for a packed order from the EasyPost fake in a real browser:
// chooses the package, sees the rates, buys one, opens the label PDF, hands the parcel over
// without typing the tracking number. Later EasyPost's signed tracker webhook says delivered:
// the order is delivered, the customer's email goes out, and the tracking page shows the
// carrier's events. Screenshots under test-output/.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { BROWSER_SKIP, browserApp, screenshot, axeViolations, type BrowserApp } from '../helpers/browser.ts';
import { fixedClock } from '../helpers/test-app.ts';
import { addProducts, basicCatalog } from '../helpers/fixtures.ts';
import { insertPaidOrder } from '../helpers/order-fixture.ts';
import { signIn } from '../helpers/staff.ts';
import { startEasyPostFake, type EasyPostFake } from '../fakes/easypost-fake.ts';
import { easyPostSignature } from '../fakes/easypost-objects.ts';
import { orders, shippingLabels, variants } from '../../src/db/schema.ts';
import type { Actor } from '../../src/domain/orders/order-events.ts';
import * as orderService from '../../src/domain/orders/order-service.ts';
import { signTrackingToken } from '../../src/domain/tracking/tracking-token.ts';
import { startOutboxWorker } from '../../src/jobs/outbox-worker.ts';
import type { MailMessage } from '../../src/domain/notifications/mailer.ts';

const HOUR = 3_600_000;
const sam: Actor = { kind: 'staff', staffId: randomUUID(), email: 'sam@casanova.test' };

describe('buying a shipping label in a browser', { skip: BROWSER_SKIP }, () => {
  let b: BrowserApp;
  let ep: EasyPostFake;
  const clock = fixedClock(new Date());

  before(async () => {
    ep = await startEasyPostFake();
    b = await browserApp('pglite', {
      env: { EASYPOST_API_KEY: ep.apiKey, EASYPOST_API_URL: ep.apiUrl, EASYPOST_WEBHOOK_SECRET: ep.webhookSecret },
      overrides: { clock },
    });
    await addProducts(b.ctx, basicCatalog);
    await b.ctx.db.update(variants).set({ weightGrams: 1200 }).where(inArray(variants.sku, ['LAMP-1', 'LAMP-2']));
    await b.ctx.db.update(variants).set({ weightGrams: 350 }).where(eq(variants.sku, 'MUG-1'));
  });
  after(async () => {
    await b?.close();
    await ep?.close();
  });

  it('buys and prints a label, hands the parcel over, and the delivered webhook reaches the order, the email and the tracking page', async () => {
    const o = await insertPaidOrder(b.ctx, { items: [{ sku: 'LAMP-1', quantity: 1 }, { sku: 'MUG-1', quantity: 2 }], email: 'olivia.bennett@example.com', name: 'Olivia Bennett' });
    for (const verb of [orderService.verify, orderService.startPreparing, orderService.markPacked]) await verb(b.ctx, o.number, sam);

    const page = await b.newPage();
    await signIn(page, b, 'warehouse');
    await page.goto(`/admin/orders/${o.number}`);
    const panel = page.locator('#label');
    await panel.getByLabel('Package').selectOption('Medium box');
    await panel.getByRole('button', { name: 'Get rates' }).click();
    await page.waitForURL(`**/admin/orders/${o.number}`);
    await assert.doesNotReject(panel.getByRole('radio', { name: /USPS Priority — \$/ }).waitFor());
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'shipping-label-rates');

    await panel.getByRole('radio', { name: /USPS Priority/ }).check();
    await panel.getByRole('button', { name: 'Buy label' }).click();
    await page.waitForURL(`**/admin/orders/${o.number}`);
    const [label] = await b.ctx.db.select().from(shippingLabels).where(eq(shippingLabels.orderId, o.id));
    assert.equal(label!.status, 'purchased');
    assert.match(await page.getByRole('status').first().innerText(), /Bought the USPS Priority label/);

    // Print label opens the stored PDF in a new tab (headless Chromium downloads it instead of showing it).
    const print = panel.getByRole('link', { name: /Print label/ });
    const pdf = await page.request.get((await print.getAttribute('href'))!);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
    const popup = page.waitForEvent('popup');
    await print.click();
    await (await popup).close();

    // The handover form already carries the label's carrier and tracking number.
    const handover = page.locator('form.handover');
    assert.equal(await handover.getByLabel('Tracking number').inputValue(), label!.trackingNumber);
    assert.equal(await handover.getByLabel('Carrier').inputValue(), 'USPS');
    await screenshot(page, 'shipping-label-bought');
    await handover.getByRole('button', { name: 'Hand over to carrier' }).click();
    await page.waitForURL(`**/admin/orders/${o.number}`);
    const status = async () => (await b.ctx.db.select({ s: orders.status }).from(orders).where(eq(orders.id, o.id)))[0]!.s;
    assert.equal(await status(), 'shipped');
    await page.getByText('In this parcel: 1 × Test Lamp (LAMP-1), 2 × Test Mug (MUG-1)').waitFor();
    await screenshot(page, 'shipping-label-shipped');

    // Later the carrier scans the parcel and EasyPost tells the store, signed.
    const say = async (status: string, message: string, hours: number, city = 'Parkersburg') => {
      const body = JSON.stringify(ep.trackerEvent(label!.trackingNumber!, { status, message, city, state: 'WV', datetime: new Date(clock.now().getTime() + hours * HOUR) }));
      const res = await fetch(`${b.baseUrl}/api/v1/shipping/easypost/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hmac-signature': easyPostSignature(ep.webhookSecret, body) },
        body,
      });
      assert.equal(res.status, 200, await res.text());
    };
    await say('in_transit', 'Departed USPS regional facility', 3, 'Columbus');
    await say('out_for_delivery', 'Out for delivery', 18);
    await say('delivered', 'Delivered, in mailbox', 21);
    assert.equal(await status(), 'delivered');

    const sent: MailMessage[] = [];
    const worker = startOutboxWorker(b.ctx, { mailer: { send: async (m) => void sent.push(m) }, manual: true });
    try {
      while ((await worker.runOnce()) > 0);
    } finally {
      await worker.stop();
    }
    const delivered = sent.find((m) => m.to === 'olivia.bennett@example.com' && /deliver/i.test(m.subject));
    assert.ok(delivered, `a delivered email to the customer; sent: ${sent.map((m) => m.subject).join(' | ')}`);

    const shopper = await b.newPage({ width: 390, height: 844 });
    await shopper.goto(`/track?t=${encodeURIComponent(signTrackingToken(b.ctx.secret, o.number))}`);
    await shopper.getByText('Delivered, in mailbox').waitFor();
    await shopper.getByText('Departed USPS regional facility').waitFor();
    await shopper.getByText('2 × Test Mug').waitFor();
    assert.deepEqual(await axeViolations(shopper), []);
    await screenshot(shopper, 'shipping-label-tracking');
  });
});
