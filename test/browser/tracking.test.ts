// A customer follows an order in a real browser: tracks a shipped order by phone number, sees
// the carrier's events (sent by signed webhook, out of order), and once it is delivered
// reports damaged packaging with a photo. Screenshots at desktop and phone widths.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { eq } from 'drizzle-orm';
import { BROWSER_SKIP, browserApp, screenshot, axeViolations, type BrowserApp } from '../helpers/browser.ts';
import { fixedClock } from '../helpers/test-app.ts';
import { placeTestOrder } from '../helpers/orders.ts';
import { seedCatalog } from '../../src/db/seed/seed.ts';
import { caseMessages, orders, outbox, supportCases } from '../../src/db/schema.ts';
import type { Actor } from '../../src/domain/orders/order-events.ts';
import * as orderService from '../../src/domain/orders/order-service.ts';
import { signCarrierBody } from '../../src/domain/shipments/carrier-events.ts';
import { signTrackingToken } from '../../src/domain/tracking/tracking-token.ts';

const SECRET = 'browser-test-carrier-secret-0123456789';
const HOUR = 3_600_000;
const staff: Actor = { kind: 'staff', staffId: randomUUID(), email: 'sam@casanova.test' };

describe('tracking an order in a browser', { skip: BROWSER_SKIP }, () => {
  let b: BrowserApp;
  // Starts now (checkout dates the order by the database clock) and moves on as the parcel does.
  const clock = fixedClock(new Date());
  before(async () => {
    b = await browserApp('pglite', { env: { CARRIER_WEBHOOK_SECRET: SECRET }, overrides: { clock } });
    await seedCatalog(b.ctx);
  });
  after(() => b?.close());

  /** What the carrier's system does: a signed POST with the event. */
  async function carrierSays(event: Record<string, string>) {
    const body = JSON.stringify(event);
    const res = await fetch(`${b.baseUrl}/api/v1/carriers/ups/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-casanova-signature': signCarrierBody(SECRET, body) },
      body,
    });
    assert.equal(res.status, 200, await res.text());
  }
  /** Moves the clock on by `hours`; returns the new time for the carrier's event. */
  const later = (hours: number) => {
    clock.advance(hours * HOUR);
    return clock.now().toISOString();
  };

  it('tracks a shipped order by phone, follows the carrier, and reports damaged packaging once delivered', async () => {
    const receipt = await placeTestOrder(b, [{ sku: 'MUG-SPK-4PK', quantity: 1 }, { sku: 'TWL-WAF-WHT', quantity: 2 }], {
      body: { email: 'olivia.bennett@example.com', phone: '(304) 555-0187', shippingAddress: { name: 'Olivia Bennett', line1: '418 Juliana St' } },
    });
    const number = receipt.number;
    for (const [hours, verb] of [[0.5, orderService.verify], [1.5, orderService.startPreparing], [0.75, orderService.markPacked]] as const) {
      later(hours);
      await verb(b.ctx, number, staff);
    }
    // While it is in the warehouse, the view says when it should leave.
    const processing = await b.newPage({ width: 1280, height: 900 });
    await processing.goto(`/track?t=${encodeURIComponent(signTrackingToken(b.ctx.secret, number))}`);
    assert.equal(await processing.getByRole('heading', { level: 1 }).innerText(), 'Packed and ready');
    assert.match(await processing.locator('.track-estimate').innerText(), /Expected to leave our warehouse by \w+day, \w+ \d+, around \d+ [AP]M ET/);
    await screenshot(processing, 'tracking-processing-desktop');
    await processing.close();

    later(1);
    const trackingNumber = `1Z${randomBytes(8).toString('hex').toUpperCase()}`;
    await orderService.ship(b.ctx, number, staff, { carrier: 'UPS', trackingNumber });
    const departed = later(6);
    const arrived = later(9);
    // The later scan reaches us first.
    await carrierSays({ trackingNumber, status: 'in_transit', occurredAt: arrived, location: 'Columbus, OH', description: 'Arrived at UPS facility', eventId: 'e2' });
    await carrierSays({ trackingNumber, status: 'in_transit', occurredAt: departed, location: 'Louisville, KY', description: 'Departed from facility', eventId: 'e1' });

    const page = await b.newPage({ width: 1280, height: 900 });
    await page.goto('/track');
    await screenshot(page, 'tracking-form-desktop');
    assert.deepEqual(await axeViolations(page), []);

    // A wrong phone number first: the form says so without telling whether the order exists.
    await page.getByLabel('Order number').fill(number.toLowerCase().replace(/-/g, ''));
    await page.getByLabel('Email or phone').fill('304-555-0100');
    await page.getByRole('button', { name: 'Track order' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /could not find an order with this number/);
    await screenshot(page, 'tracking-form-not-found');

    await page.getByLabel('Email or phone').fill('304-555-0187');
    await Promise.all([page.waitForURL(/\/track\?t=/), page.getByRole('button', { name: 'Track order' }).click()]);
    assert.doesNotMatch(decodeURIComponent(page.url()), /0187|olivia/i);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'On its way');
    assert.match(await page.locator('.track-eyebrow').innerText(), new RegExp(number));
    assert.equal(await page.locator('.track-steps li.current .step-label').innerText(), 'Shipped');
    const scans = await page.locator('.parcel .timeline li').allInnerTexts();
    assert.match(scans[0]!, /In transit · Columbus, OH/);
    assert.match(scans[1]!, /In transit · Louisville, KY/);
    assert.match(scans[2]!, /Handed to the carrier/);
    assert.equal(await page.getByRole('link', { name: /Track on the UPS website/ }).getAttribute('href'), `https://www.ups.com/track?tracknum=${trackingNumber}`);
    // Masked personal data.
    const details = await page.locator('.facts').innerText();
    assert.match(details, /O\. B\./);
    assert.match(details, /•••-•••-0187/);
    assert.match(details, /o•••@e•••\.com/);
    assert.doesNotMatch(await page.content(), /418 Juliana|Olivia|olivia\.bennett/);
    assert.equal(await page.locator('#report').count(), 0, 'nothing to report before delivery');
    await screenshot(page, 'tracking-shipped-desktop');
    assert.deepEqual(await axeViolations(page), []);
    const trackingLink = page.url();

    const phone = await b.newPage({ width: 390, height: 844 });
    await phone.goto(trackingLink);
    await screenshot(phone, 'tracking-shipped-phone');
    await phone.goto('/track');
    await screenshot(phone, 'tracking-form-phone');

    // The parcel arrives.
    await carrierSays({ trackingNumber, status: 'out_for_delivery', occurredAt: later(12), location: 'Parkersburg, WV', description: 'Out for delivery', eventId: 'e3' });
    await carrierSays({ trackingNumber, status: 'delivered', occurredAt: later(3.5), location: 'Parkersburg, WV', description: 'Left at front door', eventId: 'e4' });
    await page.reload();
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Delivered');
    assert.match(await page.locator('.track-inspection').innerText(), /outer packaging intact[\s\S]*number of items match your order/);
    await screenshot(page, 'tracking-delivered-desktop');
    assert.deepEqual(await axeViolations(page), []);
    await phone.goto(trackingLink);
    await screenshot(phone, 'tracking-delivered-phone');

    // Report damaged packaging, with a photo.
    await page.getByRole('link', { name: 'report a problem' }).click();
    await page.getByRole('radio', { name: 'Packaging damaged' }).check();
    await page.getByLabel('Description').fill('The box was crushed on one corner and one of the mugs is chipped.');
    const photo = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#9a7b5a' } }).jpeg().toBuffer();
    await page.getByLabel(/Photos/).setInputFiles({ name: 'box.jpg', mimeType: 'image/jpeg', buffer: photo });
    await Promise.all([page.waitForURL(/case=SC-/), page.getByRole('button', { name: 'Report a problem' }).click()]);
    const confirmation = await page.getByRole('status').filter({ hasText: 'case number' }).innerText();
    const caseNumber = /SC-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(confirmation)?.[0];
    assert.ok(caseNumber, confirmation);
    await screenshot(page, 'tracking-problem-reported');
    assert.deepEqual(await axeViolations(page), []);

    const [order] = await b.ctx.db.select().from(orders).where(eq(orders.number, number));
    const [c] = await b.ctx.db.select().from(supportCases).where(eq(supportCases.number, caseNumber));
    assert.equal(c!.orderId, order!.id);
    assert.equal(c!.kind, 'delivery_problem');
    const [m] = await b.ctx.db.select().from(caseMessages).where(eq(caseMessages.caseId, c!.id));
    assert.equal(m!.attachments.length, 1);
    const mail = await b.ctx.db.select().from(outbox).where(eq(outbox.caseId, c!.id));
    assert.deepEqual(mail.map((x) => [x.template, x.recipient]), [['delivery_problem_received', 'olivia.bennett@example.com']]);
  });
});
