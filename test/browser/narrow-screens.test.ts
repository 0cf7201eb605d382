// Every storefront page and back-office screen on an ordinary phone (360 and 390 px wide)
// with realistic long data: a 22-digit tracking number, a 60-character email, a long product
// name and SKU. Nothing may make the page scroll sideways; a failure names the elements that
// stick out. Screenshots of the tracking view and the back-office order page at 390 px.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { BROWSER_SKIP, browserApp, screenshot, type BrowserApp } from '../helpers/browser.ts';
import { addProducts, basicCatalog } from '../helpers/fixtures.ts';
import { placeTestOrder } from '../helpers/orders.ts';
import { signIn } from '../helpers/staff.ts';
import { eq } from 'drizzle-orm';
import { orders, returnCases } from '../../src/db/schema.ts';
import * as orderService from '../../src/domain/orders/order-service.ts';
import { sendContactMessage } from '../../src/domain/support/contact-form.ts';
import { signTrackingToken } from '../../src/domain/tracking/tracking-token.ts';

const LONG_EMAIL = 'maximilian.alexander.worthington-smythe@orders.example-shop.com'; // 60+ characters
const TRACKING = '9400111899223344556677'; // USPS, 22 digits
const LONG_NAME = 'Hand-thrown speckled stoneware serving platter with reactive celadon glaze';
const LONG_SKU = 'PLT-SPK-CELADON-EXTRALARGE-0001';
const WIDTHS = [360, 390];

describe('pages fit a phone screen', { skip: BROWSER_SKIP }, () => {
  let b: BrowserApp;
  const paths: { storefront: string[]; backOffice: string[] } = { storefront: [], backOffice: [] };
  let orderNumber = '';
  let trackHref = '';
  let delivered = '';

  before(async () => {
    b = await browserApp('pglite');
    await addProducts(b.ctx, [
      ...basicCatalog,
      { slug: 'celadon-serving-platter', name: LONG_NAME, category: 'kitchen', variants: [{ sku: LONG_SKU, price: 12_900, stock: 40, options: { size: 'Extra large (42 cm)' } }], specs: [['Dimensions', '42 × 30 × 4 cm'], ['Care', 'Dishwasher-safe; not for the microwave']] },
    ]);
    const staff = { kind: 'staff' as const, staffId: randomUUID(), email: 'wren@casanova.test' };
    const shipped = await placeTestOrder(b, [{ sku: LONG_SKU, quantity: 2 }, { sku: 'MUG-1', quantity: 1 }, { sku: 'LAMP-1', quantity: 1 }], {
      body: { email: LONG_EMAIL, phone: '(304) 555-0199', shippingAddress: { name: 'Maximilian Alexander Worthington-Smythe', line1: '1200 Emerson Avenue, Building C, Suite 4410' } },
    });
    orderNumber = shipped.number;
    for (const verb of [orderService.verify, orderService.startPreparing, orderService.markPacked]) await verb(b.ctx, orderNumber, staff);
    await orderService.ship(b.ctx, orderNumber, staff, { carrier: 'USPS', trackingNumber: TRACKING });
    const token = signTrackingToken(b.ctx.secret, orderNumber);
    trackHref = `/track?t=${encodeURIComponent(token)}`;
    // A delivered order: its tracking view holds the damage report, and it can be returned.
    delivered = (await placeTestOrder(b, [{ sku: LONG_SKU, quantity: 1 }, { sku: 'MUG-1', quantity: 2 }], { body: { email: LONG_EMAIL } })).number;
    for (const verb of [orderService.verify, orderService.startPreparing, orderService.markPacked]) await verb(b.ctx, delivered, staff);
    await orderService.ship(b.ctx, delivered, staff, { carrier: 'UPS', trackingNumber: '1Z999AA10123456784' });
    await orderService.markDelivered(b.ctx, delivered, staff);
    const open = await placeTestOrder(b, [{ sku: LONG_SKU, quantity: 1 }], { body: { email: LONG_EMAIL } });
    const support = await sendContactMessage(b.ctx, { name: 'Maximilian Alexander Worthington-Smythe', email: LONG_EMAIL, orderNumber: open.number, topic: 'order_status', message: `Where is my parcel? The tracking number ${TRACKING} shows nothing yet.` }, '10.9.9.9');
    const [rma] = await b.ctx.db.insert(returnCases).values({ number: 'RMA-LONG-0001', orderId: await orderId(orderNumber), type: 'return', reason: 'damaged', condition: 'The glaze is chipped along the rim; the box arrived crushed on one corner.' }).returning();
    paths.storefront = [
      '/',
      '/products',
      '/products/celadon-serving-platter',
      '/cart',
      '/checkout',
      `/orders/${orderNumber}/confirmation?t=${encodeURIComponent(token)}`,
      trackHref,
      // An order not yet shipped: its tracking view holds the change and cancel request form.
      `/track?t=${encodeURIComponent(signTrackingToken(b.ctx.secret, open.number))}`,
      `/track?t=${encodeURIComponent(signTrackingToken(b.ctx.secret, delivered))}`,
      '/track',
      '/returns',
      '/contact',
      '/account',
      '/policies/order-information',
      '/policies/shipping',
      '/policies/returns',
      '/policies/privacy',
    ];
    paths.backOffice = [
      '/admin',
      '/admin/orders',
      `/admin/orders/${orderNumber}`,
      `/admin/support/${support.caseNumber}`,
      '/admin/support',
      `/admin/returns/${rma!.number}`,
      '/admin/returns',
      '/admin/products',
      '/admin/stock',
      `/admin/stock/${LONG_SKU}`,
      '/admin/mail',
      '/admin/staff',
      '/admin/settings',
    ];
  });
  after(() => b?.close());

  async function orderId(number: string) {
    return (await b.ctx.db.select({ id: orders.id }).from(orders).where(eq(orders.number, number)))[0]!.id;
  }

  /** The page's width problem in words (the widest elements past the right edge), or undefined when it fits. */
  // A string, not a function: tsx's name-keeping helpers do not exist inside the page.
  const OVERFLOW_SCRIPT = `(() => {
    const width = innerWidth;
    if (document.documentElement.scrollWidth <= width) return undefined;
    const sticksOut = (el) => el.getBoundingClientRect().right > width + 0.5 && el.getBoundingClientRect().width > 0;
    // Content inside a box that scrolls on its own (a wide table) is clipped there, not the page's problem.
    const clipped = (el) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== 'visible' && !sticksOut(a)) return true;
      }
      return false;
    };
    const culprits = [...document.querySelectorAll('body *')]
      .filter((el) => sticksOut(el) && !clipped(el))
      // The innermost elements name the cause; their ancestors stick out because of them.
      .filter((el) => ![...el.children].some((c) => sticksOut(c) && !clipped(c)))
      .slice(0, 5)
      .map((el) => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '') +
        ' “' + (el.textContent || '').trim().slice(0, 30) + '” → ' + Math.round(el.getBoundingClientRect().right) + 'px');
    // Nothing itself sticks out: then a pseudo-element does; name the innermost boxes it widens.
    const widened = [...document.querySelectorAll('body *')]
      .filter((el) => getComputedStyle(el).overflowX === 'visible' && el.scrollWidth > el.clientWidth + 1 && !clipped(el))
      .filter((el) => ![...el.children].some((c) => getComputedStyle(c).overflowX === 'visible' && c.scrollWidth > c.clientWidth + 1))
      .slice(0, 5)
      .map((el) => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '') + ' (pseudo-element or text)');
    return document.documentElement.scrollWidth + 'px wide: ' + [...culprits, ...(culprits.length ? [] : widened)].join('; ');
  })()`;
  /** The page's width problem in words (the widest elements past the right edge), or undefined when it fits. */
  const overflow = (page: Page) => page.evaluate<string | undefined>(OVERFLOW_SCRIPT);

  async function check(page: Page, list: string[], width: number, problems: string[]) {
    for (const path of list) {
      const res = await page.goto(path);
      assert.ok(res && res.status() < 500, `${path}: ${res?.status()}`);
      const problem = await overflow(page);
      if (problem) problems.push(`${width}px ${path}: ${problem}`);
    }
  }

  it('fits every storefront page and back-office screen at 360 and 390 px', async () => {
    const problems: string[] = [];
    for (const width of WIDTHS) {
      const page = await b.newPage({ width, height: 800 });
      // A cart with the long product, so the cart and checkout pages have lines.
      await page.goto('/products/celadon-serving-platter');
      await page.getByRole('button', { name: 'Add to cart' }).click();
      await check(page, paths.storefront, width, problems);
      // The return application form comes after the order lookup.
      await page.goto('/returns');
      await page.getByLabel('Order number').fill(delivered);
      await page.getByLabel('Email or phone').fill(LONG_EMAIL);
      await page.getByRole('button', { name: 'Find my order' }).click();
      await page.getByLabel('Reason').waitFor();
      const problem = await overflow(page);
      if (problem) problems.push(`${width}px return application: ${problem}`);
      await signIn(page, b, 'owner');
      await check(page, paths.backOffice, width, problems);
      if (width === 390) {
        await page.goto(trackHref);
        await screenshot(page, 'narrow-tracking-390');
        await page.goto(`/admin/orders/${orderNumber}`);
        await screenshot(page, 'narrow-admin-order-390');
      }
      await page.context().close();
    }
    assert.deepEqual(problems, []);
  });
});
