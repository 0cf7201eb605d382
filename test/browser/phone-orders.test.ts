// A phone order in a real browser: an agent builds the caller's order, the customer opens
// the emailed link on their phone and pays on the provider's page, and the warehouse then
// processes it like any other order.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq } from 'drizzle-orm';
import { BROWSER_SKIP, browserApp, screenshot, axeViolations, type BrowserApp } from '../helpers/browser.ts';
import { signIn } from '../helpers/staff.ts';
import { addProducts, basicCatalog } from '../helpers/fixtures.ts';
import { outbox } from '../../src/db/schema.ts';

describe('phone orders in a browser', { skip: BROWSER_SKIP }, () => {
  let b: BrowserApp;
  before(async () => {
    b = await browserApp('pglite');
    await addProducts(b.ctx, basicCatalog);
  });
  after(() => b?.close());

  it('an agent takes an order by phone, the customer pays by the link, and it is processed', async () => {
    const agent = await b.newPage({ width: 1280, height: 900 });
    await signIn(agent, b, 'support');
    await agent.goto('/admin/orders');
    await agent.getByRole('link', { name: 'Phone order' }).click();
    await agent.waitForURL('**/admin/phone-orders');
    await agent.getByLabel('SKU (1)').fill('MUG-1');
    await agent.getByLabel('Quantity (1)').fill('3');
    await agent.getByLabel('Customer email').fill('rosa.caller@example.com');
    await agent.getByLabel('Customer phone').fill('(304) 555-0166');
    await agent.getByLabel('Full name').fill('Rosa Caller');
    await agent.getByLabel('Address line 1').fill('21 Market St');
    await agent.getByLabel('City').fill('Parkersburg');
    await agent.getByLabel('State').selectOption('WV');
    await agent.getByLabel('ZIP code').fill('26101');
    await screenshot(agent, 'phone-order-form');
    assert.deepEqual(await axeViolations(agent), []);
    await agent.getByRole('button', { name: 'Email the payment link' }).click();
    await agent.waitForURL(/\/admin\/phone-orders\/[0-9a-f-]{36}$/);
    // 3 × $15 = $45 + $6.95 shipping, 6% of both ($3.12) = $55.07.
    assert.match(await agent.getByRole('status').first().innerText(), /Payment link for \$55\.07 emailed to rosa\.caller@example\.com/);
    assert.match(await agent.locator('main').innerText(), /Waiting for payment/);

    const [mail] = await b.ctx.db.select({ payload: outbox.payload }).from(outbox).where(and(eq(outbox.template, 'payment_link'), eq(outbox.recipient, 'rosa.caller@example.com')));
    const link = new URL((mail!.payload as { payUrl: string }).payUrl);
    const phone = await b.newPage({ width: 390, height: 844 });
    await phone.goto(link.pathname);
    await screenshot(phone, 'phone-order-pay-page');
    assert.deepEqual(await axeViolations(phone), []);
    await phone.getByRole('button', { name: 'Pay $55.07' }).click();
    await phone.waitForURL(/\/sandbox\/pay\/sbx_pay_/);
    await phone.getByLabel('Card number').fill('4242 4242 4242 4242');
    await phone.getByLabel('Expiry').fill('09/29');
    await phone.getByLabel('CVC').fill('314');
    await phone.getByRole('button', { name: /^Pay/ }).click();
    await phone.waitForURL(/\/orders\/CS-[A-Z0-9]{4}-[A-Z0-9]{4}\/confirmation\?t=/);
    assert.match(await phone.getByRole('heading', { level: 1 }).innerText(), /Your order is confirmed/);
    const number = /\/orders\/([^/]+)\/confirmation/.exec(phone.url())![1]!;

    await agent.reload();
    await agent.getByRole('link', { name: `Paid: order ${number}` }).click();
    await agent.waitForURL(`**/admin/orders/${number}`);
    await agent.getByRole('button', { name: 'Verify' }).click();
    await agent.getByRole('button', { name: 'Start preparing' }).waitFor();
    await agent.getByRole('button', { name: 'Start preparing' }).click();
    await agent.getByRole('button', { name: 'Mark packed' }).waitFor();
    await screenshot(agent, 'phone-order-processing');
  });
});
