// A returning shopper in a real browser: asks for a sign-in link, opens it from the email on
// another device (a fresh browser context), sees the order placed with that email, adds the
// phone number with the texted code and sees the order placed with a work email and the same
// phone, then buys one of them again. An abandoned checkout gets its reminder, whose link
// brings the cart back on the phone. Screenshots at phone and desktop widths.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { desc, eq } from 'drizzle-orm';
import { BROWSER_SKIP, browserApp, screenshot, axeViolations, type BrowserApp } from '../helpers/browser.ts';
import { placeTestOrder } from '../helpers/orders.ts';
import { seedCatalog } from '../../src/db/seed/seed.ts';
import { outbox } from '../../src/db/schema.ts';
import { renderEmail } from '../../src/emails/index.ts';
import { describeWeeklyHours } from '../../src/domain/support/service-hours.ts';
import { sendDueReminders } from '../../src/domain/recovery/cart-recovery.ts';
import { fixedClock } from '../helpers/test-app.ts';

describe('My orders in a browser', { skip: BROWSER_SKIP }, () => {
  let b: BrowserApp;
  const clock = fixedClock(new Date());
  before(async () => {
    b = await browserApp('pglite', { overrides: { clock } });
    await seedCatalog(b.ctx);
  });
  after(() => b?.close());

  const read = (row: typeof outbox.$inferSelect) => {
    const settings = b.ctx.settings();
    return renderEmail(row.template as 'cart_reminder', row.payload as never, { settings, publicUrl: b.baseUrl, serviceHoursLines: describeWeeklyHours(settings.serviceHours) });
  };
  const lastTo = async (recipient: string) => (await b.ctx.db.select().from(outbox).where(eq(outbox.recipient, recipient)).orderBy(desc(outbox.id)).limit(1))[0]!;

  it('signs in from the emailed link, sees the orders by email and by phone, and buys one again', async () => {
    const home = await placeTestOrder(b, [{ sku: 'MUG-SPK-4PK', quantity: 1 }], { body: { email: 'olivia.bennett@example.com', phone: '(304) 555-0187', shippingAddress: { name: 'Olivia Bennett', line1: '418 Juliana St' } } });
    const work = await placeTestOrder(b, [{ sku: 'TWL-WAF-WHT', quantity: 2 }], { body: { email: 'o.bennett@work.example', phone: '304.555.0187', shippingAddress: { name: 'Olivia Bennett', line1: '200 Market St' } } });

    const desk = await b.newPage({ width: 1280, height: 900 });
    await desk.goto('/');
    await desk.getByRole('link', { name: 'My orders' }).click();
    await desk.getByLabel('Email address').fill('olivia.bennett@example.com');
    await desk.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await desk.getByText('a sign-in link is on its way').waitFor();

    // The email as the shopper reads it.
    const row = await lastTo('olivia.bennett@example.com');
    const settings = b.ctx.settings();
    const email = renderEmail('customer_sign_in', row.payload as never, { settings, publicUrl: b.baseUrl, serviceHoursLines: describeWeeklyHours(settings.serviceHours) });
    assert.match(email.text, /Sign in to My orders/);
    const link = String(row.payload.signInUrl);
    assert.ok(email.html.includes(link));

    // Opened on the phone: another browser, no cookies from the desk.
    const phone = await b.newPage({ width: 390, height: 844 });
    await phone.goto(link);
    await phone.getByRole('button', { name: 'Continue to my orders' }).click();
    await phone.getByRole('heading', { name: 'Your orders' }).waitFor();
    assert.ok(await phone.getByRole('link', { name: `Order ${home.number}` }).isVisible());
    assert.equal(await phone.getByRole('link', { name: `Order ${work.number}` }).count(), 0);

    await phone.getByLabel('Phone number').fill('(304) 555-0187');
    await phone.getByRole('button', { name: 'Text me a code' }).click();
    await phone.getByRole('heading', { name: 'Enter the code we texted you' }).waitFor();
    const code = /code is (\d{6})/.exec(String((await lastTo('+13045550187')).payload.body))![1]!;
    await phone.getByLabel('Code', { exact: true }).fill(code);
    await phone.getByRole('button', { name: 'Sign in' }).click();
    await phone.getByRole('link', { name: `Order ${work.number}` }).waitFor();
    assert.ok(await phone.getByRole('link', { name: `Order ${home.number}` }).isVisible());
    assert.deepEqual(await axeViolations(phone), []);
    const width = await phone.evaluate(() => document.documentElement.scrollWidth <= innerWidth);
    assert.ok(width, 'the page fits the phone');
    await screenshot(phone, 'my-orders-390');

    // Each order opens its tracking view; "Buy again" refills the cart.
    await phone.getByRole('link', { name: `Order ${work.number}` }).click();
    await phone.waitForURL(/\/track\?t=/);
    await phone.getByText(work.number).first().waitFor();
    await phone.goBack();
    await phone.locator('li', { hasText: `Order ${work.number}` }).getByRole('button', { name: 'Buy again' }).click();
    await phone.getByText('Added to your cart at today').waitFor();
    await screenshot(phone, 'my-orders-buy-again-390');

    // The desk, which asked for the link, is not signed in by it.
    await desk.goto('/account');
    assert.ok(await desk.getByRole('button', { name: 'Email me a sign-in link' }).isVisible());
  });

  it('reminds a shopper who left checkout, and the reminder brings the cart back on another device', async () => {
    const desk = await b.newPage({ width: 1280, height: 900 });
    await desk.goto('/products/waffle-bath-towel');
    await desk.getByRole('button', { name: 'Add to cart' }).click();
    await desk.getByRole('link', { name: 'Checkout' }).click();
    await desk.getByLabel('Email').fill('riley.stone@example.com');
    const handedOver = desk.waitForResponse((r) => r.url().endsWith('/checkout/contact'), { timeout: 5000 });
    await desk.getByLabel('Phone').focus(); // the script hands the email over when the field changes
    assert.equal((await handedOver).status(), 204);
    await desk.close();

    clock.advance(b.ctx.settings().cartRecovery.delayMinutes * 60_000 + 60_000);
    assert.deepEqual(await sendDueReminders(b.ctx), { reminded: 1, skipped: 0 });
    const email = read(await lastTo('riley.stone@example.com'));
    assert.match(email.text, /Waffle Bath Towel/);
    assert.match(email.text, /Unsubscribe/);
    assert.ok(email.text.includes(b.ctx.settings().contact.address), 'the shop’s postal address');
    const link = /href="([^"]*\/cart\/restore[^"]*)"/.exec(email.html)![1]!.replaceAll('&amp;', '&');

    const phone = await b.newPage({ width: 390, height: 844 });
    await phone.goto(link);
    await phone.getByText('Your cart is back').waitFor();
    assert.ok(await phone.getByText('Waffle Bath Towel').first().isVisible());
    await screenshot(phone, 'cart-restored-390');
  });
});
